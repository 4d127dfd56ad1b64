// What Node gets for phone-library.ts from the built package (package.json "imports": "#phone-library", "node"):
// the same functions, loading dist/phone-metadata.js and dist/phone-library.js on first use, synchronously
// (require of an ES module: Node 20.19+ and 22.12+, the package's engines). Importing the package then costs no
// libphonenumber-js at all; an E.164 number loads the metadata only (phone-e164.ts), anything else the library too.
// Built into dist/ only (scripts/build.ts), so the paths below are dist/'s. Bundlers take phone-library.ts itself
// (the "module" condition, which Node never sets, and "default" for browsers): a bundle has no dist/ files beside it.
import type * as Library from "./phone-library.js";
import type * as Metadata from "./phone-metadata.js";

let metadata: Metadata.PhoneMetadata | undefined;
let library: typeof Library | undefined;

// Made at first use too: createRequire costs most of a millisecond, which an import that checks no phone need not pay.
function load(file: string): unknown {
  return process.getBuiltinModule("node:module").createRequire(import.meta.url)(file);
}

export const phoneMetadata: typeof Library.phoneMetadata = () => {
  metadata ??= (load("./phone-metadata.js") as typeof Metadata).metadata;
  return metadata;
};

export const parsePhoneNumber: typeof Library.parsePhoneNumber = (text, options) => {
  library ??= load("./phone-library.js") as typeof Library;
  return library.parsePhoneNumber(text, options);
};
