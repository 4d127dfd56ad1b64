// The libraries the pipeline runs, loaded with require(). Measured on this 2-core machine: Redocly takes 345 ms through
// an ESM import on Node 20 (each of its modules passes through the loader-hooks thread run-ts.mjs registers there) and
// 210 ms through require(); on Node 24, 160 ms and 150 ms. ajv is CommonJS, which an ESM import would also have to
// run Node's export lexer over. Each is loaded the first time a step asks for it, never by a run that finds its
// outputs cached.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export const loadRedocly = () => require("@redocly/openapi-core") as typeof import("@redocly/openapi-core");

export const loadAjv = () => ({
  Ajv: (require("ajv") as typeof import("ajv")).Ajv,
  Ajv2020: (require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js")).Ajv2020,
  // A CommonJS module whose function is also its `.default`: this form types and runs the same everywhere.
  standalone: (require("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js")).default,
});
