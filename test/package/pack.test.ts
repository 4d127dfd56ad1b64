// The package as a user gets it: built (what `npm pack` runs as prepack), packed, installed from the tarball into a
// fresh project with no "ip1-nki-source" condition, compiled by a strict tsc, and run against the Prism mock. publint and
// @arethetypeswrong/cli check the tarball too. One build, one pack and one install serve every test here; the
// checks that need only the tarball run alongside the install.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildPackage } from "../../scripts/build.js";
import { packageFile } from "../../scripts/lib/run-node.js";
import { start } from "../support/processes.js";
import { suitePrism } from "../support/suite-prism.js";
import { describeRun, exec, type Finished } from "./exec.js";
import { compileSnippets, snippetFileName, typescriptSnippets } from "./readme-snippets.js";

const root = process.cwd();
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
  dependencies: Record<string, string>;
  bin?: Record<string, string>;
  scripts: Record<string, string>;
};
const tsc = packageFile("typescript", "bin/tsc");
// The README's snippets go through TypeScript 7 (what `npm install typescript` gives a newcomer now, and natively
// compiled); the consumer project (installAndCompile) through TypeScript 5, which many projects still run.
const tsc7 = packageFile("typescript7", "bin/tsc");
const attw = packageFile("@arethetypeswrong/cli", "dist/index.js");

let temp: string;
let consumer: string;
let tarball: string;
let compiled: Finished;
let typesCheck: Finished;
let lint: Awaited<ReturnType<typeof publint>>;
const snippets = typescriptSnippets(readFileSync("README.md", "utf8"));
let snippetsCompiled: Finished;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), "ip1-nki-pack-"));
  await buildPackage();
  // --ignore-scripts: prepack would run the same build again, in a slower tsx process.
  const packed = await exec("npm", ["pack", "--ignore-scripts", "--pack-destination", temp, "--silent"], { cwd: root });
  if (packed.code !== 0) throw new Error(describeRun("npm pack", packed));
  const [name] = readdirSync(temp).filter((file) => file.endsWith(".tgz"));
  if (!name) throw new Error(`npm pack wrote no tarball into ${temp}`);
  tarball = join(temp, name);
  consumer = join(temp, "consumer");
  [typesCheck, lint] = await Promise.all([
    exec(process.execPath, [attw, tarball, "--profile", "esm-only", "--format", "json"], { cwd: temp }),
    publintTarball(tarball),
    suitePrism()
      .then(installAndCompile)
      .then(async () => {
        snippetsCompiled = await compileSnippets(snippets, join(temp, "readme"), {
          tsc: tsc7,
          installedPackage: join(consumer, "node_modules/ip1-nki"),
          repoNodeModules: join(root, "node_modules"),
        });
      }),
  ]);
}, 180_000);

async function installAndCompile(prismUrl: string) {
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // The dependencies come from the npm cache (this repo installed the same versions); the registry only if not.
  const extraCaCerts = inject("extraCaCerts");
  const env = extraCaCerts ? { ...process.env, NODE_EXTRA_CA_CERTS: extraCaCerts } : process.env;
  const install = (mode: string) =>
    exec("npm", ["install", mode, "--no-audit", "--no-fund", tarball], { cwd: consumer, env });
  let installed = await install("--offline");
  if (installed.code !== 0 && installed.stderr.includes("ENOTCACHED")) installed = await install("--prefer-offline");
  if (installed.code !== 0) throw new Error(describeRun("npm install <tarball>", installed));
  writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify(consumerTsconfig));
  writeFileSync(join(consumer, "consumer.ts"), consumerSource(prismUrl));
  compiled = await exec(process.execPath, [tsc, "-p", ".", "--listFiles"], { cwd: consumer });
}

/** The README's "Contract-testing your code" example, file by file (each ```ts block names its file). */
function readmeExample(): Record<string, string> {
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf("## Contract-testing your code");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return Object.fromEntries(typescriptSnippets(section).map((snippet) => [snippetFileName(snippet), snippet.code]));
}

function publintTarball(path: string) {
  const bytes = readFileSync(path);
  return publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer },
    level: "suggestion",
    strict: true,
  });
}

/** A plain Node project's strict settings, with none of this repo's (no "ip1-nki-source" condition, no DOM lib). */
const consumerTsconfig = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    // As most projects set it; the @ts-expect-error lines in the consumer fail the compile if our types degrade to
    // `any`, and attw checks that every import inside our .d.ts files resolves.
    skipLibCheck: true,
    typeRoots: [join(root, "node_modules/@types")],
    types: ["node"],
    outDir: ".",
  },
  files: ["consumer.ts"],
};

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe("the tarball", () => {
  it("holds only dist/, the spec's types and bundle, README, LICENSE and package.json", async () => {
    const listing = await exec("tar", ["-tzf", tarball], { cwd: temp });
    const files = listing.stdout.trim().split("\n").sort();
    const allowed =
      /^package\/(dist\/.+\.(js|d\.ts)|generated\/(schema\.d\.ts|openapi\.json)|README\.md|LICENSE|package\.json)$/;
    expect(files.filter((file) => !allowed.test(file))).toEqual([]);
    for (const required of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/types-entry.js",
      "dist/types-entry.d.ts",
      "generated/schema.d.ts",
      "generated/openapi.json",
      "LICENSE",
    ]) {
      expect(files).toContain(`package/${required}`);
    }
  });

  it("depends at run time on openapi-fetch and iconv-lite only (libphonenumber-js is bundled), and on optional peers only", () => {
    const installedManifest = JSON.parse(
      readFileSync(join(consumer, "node_modules/ip1-nki/package.json"), "utf8"),
    ) as typeof manifest & {
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    expect(Object.keys(installedManifest.dependencies).sort()).toEqual(["iconv-lite", "openapi-fetch"]);
    expect(readdirSync(join(consumer, "node_modules"))).not.toContain("libphonenumber-js");
    // Prism is no peer any more: the CLI's --mock and `ip1-nki mock` run the package's own simulator.
    // The ledger's stores (better-sqlite3, pg) are optional peers too, imported only when a ledger is used.
    const peers = ["better-sqlite3", "msw", "pg"];
    expect(Object.keys(installedManifest.peerDependencies ?? {}).sort()).toEqual(peers);
    expect(peers.filter((peer) => !installedManifest.peerDependenciesMeta?.[peer]?.optional)).toEqual([]);
    expect(readdirSync(join(consumer, "node_modules"))).not.toContain("@stoplight");
    expect(readdirSync(join(consumer, "node_modules"))).not.toContain("msw");
  });

  it("is what npm pack and npm publish build first (prepack)", () => {
    expect(manifest.scripts.prepack).toBe("node --import tsx scripts/build.ts");
    expect(manifest.scripts.build).toBe("node --import tsx scripts/build.ts");
  });

  it("passes publint with no message at all", () => {
    expect(lint.messages.map((message) => `${message.type}: ${formatMessage(message, lint.pkg)}`)).toEqual([]);
  });

  it("passes @arethetypeswrong/cli for an ESM-only package (node16 from ESM, and bundlers)", () => {
    expect(typesCheck.code, describeRun("attw", typesCheck)).toBe(0);
    const { analysis } = JSON.parse(typesCheck.stdout) as {
      analysis: { problems: { kind: string; resolutionKind?: string }[] };
    };
    // What remains is what the esm-only profile ignores: node10, and require() in node16-cjs type resolution.
    const ignored = ["node10", "node16-cjs"];
    expect(analysis.problems.filter((problem) => !ignored.includes(problem.resolutionKind ?? ""))).toEqual([]);
  });
});

describe("a fresh TypeScript project using the installed package", () => {
  it("compiles with strict tsc, types resolving to the package's dist/ and generated/, never src/", () => {
    expect(compiled.code, describeRun("tsc", compiled)).toBe(0);
    const files = compiled.stdout.split("\n").filter((file) => file.includes("/node_modules/ip1-nki/"));
    expect(files).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/node_modules\/ip1-nki\/dist\/index\.d\.ts$/),
        expect.stringMatching(/node_modules\/ip1-nki\/dist\/types-entry\.d\.ts$/),
        expect.stringMatching(/node_modules\/ip1-nki\/generated\/schema\.d\.ts$/),
      ]),
    );
    expect(files.filter((file) => file.includes("/src/"))).toEqual([]);
  });

  it("runs against the Prism mock and gets typed OutgoingSms records, an estimate, and the typed 403 error", async () => {
    expect(compiled.code, describeRun("tsc", compiled)).toBe(0);
    const run = await exec(process.execPath, ["consumer.js"], { cwd: consumer });
    expect(run.code, describeRun("node consumer.js", run)).toBe(0);
    const result = JSON.parse(run.stdout) as {
      resolved: string;
      records: Record<string, unknown>[];
      segments: unknown;
      forced: string;
    };
    expect(result.resolved).toMatch(/\/node_modules\/ip1-nki\/dist\/index\.js$/);
    expect(result.records.length).toBeGreaterThan(0);
    for (const record of result.records) {
      expect(record).toMatchObject({
        From: expect.any(String),
        Message: expect.any(String),
        Status: expect.any(Number),
      });
    }
    expect(result.segments).toEqual({ encoding: "GSM-7", segments: 1, units: 4 });
    expect(result.forced).toBe("Ip1NoCreditsError 403 instanceof Ip1ApiError");
  });

  it("can also be require()d from CommonJS (Node 20.19+ loads ES modules synchronously)", async () => {
    const run = await exec(
      process.execPath,
      ["--input-type=commonjs", "-e", 'process.stdout.write(typeof require("ip1-nki").createIp1Client)'],
      { cwd: consumer },
    );
    expect(run, describeRun("require", run)).toMatchObject({ code: 0, stdout: "function" });
  });

  it("installs the ip1-nki bin, whose --mock needs no Prism and reports every recipient's result", async () => {
    expect(manifest.bin).toEqual({ "ip1-nki": "./dist/cli.js" });
    const bin = join(consumer, "node_modules/.bin/ip1-nki");
    const help = await exec(bin, ["--help"], { cwd: consumer });
    expect(help.code, describeRun("ip1-nki --help", help)).toBe(0);
    expect(help.stdout).toContain("ip1-nki send");
    expect(help.stdout).toContain("ip1-nki mock");
    const to = ["--to", "+46701234567,Anna", "--to", "+46731234568,Erik"];
    const mock = await exec(
      bin,
      ["send", "--mock", "--json", "--nki", "42", "--from", "Acme", "--message", "Hej", ...to],
      { cwd: consumer, env: { PATH: process.env.PATH } },
    );
    expect(mock.code, describeRun("ip1-nki send --mock", mock)).toBe(0);
    expect(mock.stdout).toMatch(/"total":\s*2/);
  });

  it("installs `ip1-nki mock`, which serves the simulator on a free port and stops on Ctrl-C", async () => {
    const mock = start(join(consumer, "node_modules/.bin/ip1-nki"), ["mock", "--port", "0"], {
      cwd: consumer,
      env: { PATH: process.env.PATH },
    });
    await mock.waitForOutput("Ctrl-C stops it.");
    const url = /on (http:\/\/127\.0\.0\.1:\d+)\./.exec(mock.stdout)?.[1];
    const response = await fetch(`${url}/api/nkis/42/users/send`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer any" },
      body: JSON.stringify({ Users: [{ FirstName: "Anna", Phone: "+46701234567" }], From: "Acme", Message: "Hej" }),
    });
    expect(await response.json()).toMatchObject([{ To: "+46701234567", CountryCode: "SE", Segments: 1, Status: 0 }]);
    process.kill(mock.pid, "SIGINT");
    await expect(mock.exited).resolves.toMatchObject({ code: 0 });
  });

  it("runs the README's contract-test example with vitest, against the installed package", async () => {
    const files = readmeExample();
    expect(Object.keys(files).sort()).toEqual(["surveys.test.ts", "surveys.ts"]);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(consumer, name), text);
    // This repo's vitest, linked in: nothing is downloaded, and "ip1-nki" still resolves to the installed tarball.
    symlinkSync(join(root, "node_modules/vitest"), join(consumer, "node_modules/vitest"), "dir");
    const run = await exec(
      process.execPath,
      [join(root, "node_modules/vitest/vitest.mjs"), "run", "--reporter=json", "--outputFile=vitest.json"],
      { cwd: consumer, env: { PATH: process.env.PATH, CI: "1" } },
    );
    expect(run.code, describeRun("vitest run (README example)", run)).toBe(0);
    const report = JSON.parse(readFileSync(join(consumer, "vitest.json"), "utf8")) as {
      numPassedTests: number;
      numTotalTests: number;
    };
    expect({ passed: report.numPassedTests, total: report.numTotalTests }).toEqual({ passed: 4, total: 4 });
  });
});

// Issue 23: a cold import("ip1-nki") in Node compiles none of the client, nor libphonenumber-js (90 kB) and its
// metadata (168 kB) until a phone is checked. Shown by behaviour: a copy of the installed package without those
// files still imports, and fails only at the first call that needs them.
describe("the installed package in Node: the client and the phone library, loaded at first use", () => {
  /** What each step gives in a copy of the installed package without `removed` (names in its dist/). */
  async function stepsWithout(removed: string[]): Promise<Record<string, string>> {
    const dir = join(temp, `without-${removed.map((file) => file.replace(".js", "")).join("-") || "nothing"}`);
    const copy = join(dir, "node_modules/ip1-nki");
    cpSync(join(consumer, "node_modules/ip1-nki"), copy, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "lazy", private: true, type: "module" }));
    for (const file of removed) rmSync(join(copy, "dist", file));
    const script = `const ip1 = await import("ip1-nki");
const steps = {};
const step = (name, run) => { try { steps[name] = JSON.stringify(run()); } catch (error) { steps[name] = "threw " + error.message; } };
step("constants", () => [typeof ip1.DEFAULTS, new ip1.Ip1ValidationError([]) instanceof ip1.Ip1Error]);
step("client", () => typeof ip1.createIp1Client({ account: "ip1-00000", apiKey: "k", env: {} }).sendNki);
step("segments", () => ip1.estimateSegments("Hej").segments);
step("e164", () => ip1.normalizePhone("+46701234567").e164);
step("national", () => ip1.normalizePhone("070-123 45 67", "SE").e164);
process.stdout.write(JSON.stringify(steps));`;
    const run = await exec(process.execPath, ["--input-type=module", "-e", script], { cwd: dir });
    expect(run.code, describeRun("node (import ip1-nki)", run)).toBe(0);
    return JSON.parse(run.stdout) as Record<string, string>;
  }

  it("exports from Node's entry what the whole library exports: the same classes and constants, functions for functions", async () => {
    const library = join(consumer, "node_modules/ip1-nki/dist/library.js");
    const script = `const entry = await import("ip1-nki");
const library = await import(${JSON.stringify(library)});
const same = (name) => typeof library[name] === "function" && !String(library[name]).startsWith("class")
  ? typeof entry[name] === "function" : entry[name] === library[name];
process.stdout.write(JSON.stringify({
  resolved: import.meta.resolve("ip1-nki"), entry: Object.keys(entry), library: Object.keys(library),
  different: Object.keys(library).filter((name) => !same(name)),
}));`;
    const run = await exec(process.execPath, ["--input-type=module", "-e", script], { cwd: consumer });
    expect(run.code, describeRun("node (Node's entry and the library)", run)).toBe(0);
    const { resolved, entry, library: all, different } = JSON.parse(run.stdout) as Record<string, string[]>;
    expect(resolved).toMatch(/\/node_modules\/ip1-nki\/dist\/index\.js$/);
    expect(entry).toEqual(all);
    expect(all).toEqual(expect.arrayContaining(["createIp1Client", "Ip1Error", "DEFAULTS", "PhoneRegistry"]));
    expect(different).toEqual([]);
  });

  it("loads at import only the small modules that hold its classes and constants (about 21 kB of JavaScript)", () => {
    // The files a cold import reads before its first call: dist/index.js and what it imports, transitively. A class
    // exported from a module full of functions drags that module in (ChunkBytes in bulk.ts did: 39 kB, 17 ms cold).
    const dist = join(consumer, "node_modules/ip1-nki/dist");
    const eager = new Set<string>();
    const visit = (file: string) => {
      if (eager.has(file)) return;
      eager.add(file);
      const text = readFileSync(join(dist, file), "utf8");
      for (const [, next = ""] of text.matchAll(/(?:from|import) "\.\/((?:chunks\/)?[\w-]+\.js)"/g)) {
        visit(file.startsWith("chunks/") && !next.startsWith("chunks/") ? `chunks/${next}` : next);
      }
    };
    visit("index.js");
    const bytes = [...eager].reduce((sum, file) => sum + readFileSync(join(dist, file)).byteLength, 0);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes, [...eager].join(", ")).toBeLessThanOrEqual(25_000);
  });

  it("imports the classes and constants without the client's code, which it loads at the first call", async () => {
    // dist/index.js, Node's entry, is src/index.ts's classes and constants and a stub for each function; the stubs
    // load dist/library.js, the whole client, the first time one is called.
    const steps = await stepsWithout(["library.js"]);
    expect(steps.constants).toBe('["object",true]');
    for (const step of ["client", "segments", "e164", "national"]) {
      expect(steps[step]).toMatch(/^threw Cannot find module .*library\.js/);
    }
  });

  it("imports, makes a client and counts segments with neither the metadata nor the library on disk", async () => {
    const steps = await stepsWithout(["phone-metadata.js", "phone-library.js"]);
    expect(steps).toMatchObject({ client: '"function"', segments: "1" });
    expect(steps.e164).toMatch(/^threw Cannot find module .*phone-metadata\.js/);
    expect(steps.national).toMatch(/^threw Cannot find module .*phone-library\.js/);
  });

  it("checks an E.164 number with the metadata alone; a national number needs the library", async () => {
    const steps = await stepsWithout(["phone-library.js"]);
    expect(steps).toMatchObject({ client: '"function"', segments: "1", e164: '"+46701234567"' });
    expect(steps.national).toMatch(/^threw Cannot find module .*phone-library\.js/);
    expect(await stepsWithout([])).toEqual({ ...steps, national: '"+46701234567"' });
  });

  it.each(["browser", "node"] as const)(
    "gives a bundler for the %s the library inside the bundle, and no loader that needs files beside it",
    async (platform) => {
      // Every bundler (the "module" condition, which Node never sets) and browsers ("default") get dist/library.js
      // and the module that holds libphonenumber-js ("#phone-library"); only Node itself gets the entry and the loader
      // that read dist/ files a bundle would not have. The ledger files' Node modules and the optional peers stay
      // out: they are imported only when a ledger is opened.
      const bundled = await build({
        ...{ stdin: { contents: 'export * from "ip1-nki";', resolveDir: consumer }, bundle: true, write: false },
        ...{ format: "esm", platform, external: ["node:*", "pg", "better-sqlite3", "msw"], logLevel: "silent" },
      });
      const code = bundled.outputFiles[0]?.text ?? "";
      expect(code).not.toContain("getBuiltinModule");
      expect(code).not.toContain("#phone-library");
      const file = join(temp, `${platform}-bundle.mjs`);
      writeFileSync(file, code);
      const script = `const ip1 = await import(${JSON.stringify(file)});
process.stdout.write(JSON.stringify([ip1.normalizePhone("070-123 45 67", "SE"), ip1.isPhoneCountry("SE")]));`;
      const run = await exec(process.execPath, ["--input-type=module", "-e", script], { cwd: temp });
      expect(run.code, describeRun(`node (the ${platform} bundle)`, run)).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([{ ok: true, e164: "+46701234567", country: "SE" }, true]);
    },
  );
});

describe("the README's TypeScript snippets", () => {
  it("each compile on their own, against the installed package, in a fresh tsc --init project", () => {
    expect(snippets.length).toBeGreaterThanOrEqual(3);
    expect(snippets.map((snippet) => snippet.code).join("\n")).toContain('from "ip1-nki"');
    expect(snippetsCompiled.code, describeRun("tsc (file names carry the README line)", snippetsCompiled)).toBe(0);
  });
});

/** A consumer as a user would write it. The @ts-expect-error lines fail the compile if the types were `any`. */
function consumerSource(prismUrl: string) {
  return `import { createIp1Client, estimateSegments, Ip1ApiError } from "ip1-nki";
import type { NkiSendRequest, OutgoingSms } from "ip1-nki/types";

const request: NkiSendRequest = {
  Users: [{ FirstName: "Anna", Phone: "+46701234567" }],
  From: "Acme",
  Message: "Hej!",
};
// @ts-expect-error Phone is a string in the spec, so a number must not compile.
const wrongPhone: NkiSendRequest = { Users: [{ FirstName: "Anna", Phone: 46701234567 }], From: "Acme", Message: "Hej!" };
void wrongPhone;

const client = createIp1Client({ baseUrl: ${JSON.stringify(prismUrl)}, account: "ip1-00000", apiKey: "mock-api-key", env: {} });
const records: OutgoingSms[] = await client.sendNki(42, request);
const first: OutgoingSms | undefined = records[0];
// @ts-expect-error OutgoingSms has no such field.
void first?.NoSuchField;
const segments = estimateSegments(request.Message);

let forced = "no error";
try {
  await client.sendNki(42, request, { headers: { Prefer: "code=403" } });
} catch (error) {
  forced = error instanceof Ip1ApiError ? \`\${error.name} \${error.status} instanceof Ip1ApiError\` : \`unexpected: \${String(error)}\`;
}
process.stdout.write(JSON.stringify({ resolved: import.meta.resolve("ip1-nki"), records, segments, forced }));
`;
}
