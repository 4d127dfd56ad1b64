// The CLI follows the spec: in a copy of the project, NkiUser gains an optional Language and LastName becomes
// required; `npm run pipeline` alone must make the CSV take (and send) a Language column, and make --help and the
// validation say LastName is required. Then `npm version 9.8.7` alone must make the User-Agent say 9.8.7.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseYaml, stringifyYaml } from "@redocly/openapi-core";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleOptions, entryPoints } from "../../scripts/build.js";
import { type FaultServer, startFaultServer } from "../support/fault-server.js";
import { run } from "../support/processes.js";
import { copyProject, npmScript, type ProjectCopy } from "../support/project-copy.js";
import { answerFor } from "./support.js";

let copy: ProjectCopy;
let dir: string;
let server: FaultServer;
const credentials = { IP1_ACCOUNT: "ip1-12345", IP1_API_KEY: "spec-driven-SECRET" };
const send = ["send", "--nki", "42", "--from", "Acme", "--message", "Hej"];

/** Runs a command in the copy, in its own process group killed with its test; never throws, so a failure shows its output. */
const inCopy = (file: string, args: string[], env: Record<string, string> = {}) =>
  run(file, args, {
    cwd: dir,
    // The send ledger's default place is under XDG_STATE_HOME: a new one per run (the tests send the same person to
    // the same server), never the user's.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? dir,
      XDG_STATE_HOME: mkdtempSync(join(dir, ".state-")),
      ...env,
    },
  });

// The copy's CLI, bundled from its src/ as `npm run build` bundles it (a fifth of tsx's start-up CPU); bundled again
// after each regeneration.
let built: Promise<string> | undefined;
const cli = async (args: string[], env: Record<string, string> = {}) => {
  built ??= build({
    ...bundleOptions,
    absWorkingDir: dir,
    entryPoints: { cli: entryPoints.cli },
    outdir: join(dir, ".cli"),
    metafile: false,
  }).then(() => join(dir, ".cli", "cli.js"));
  return inCopy(process.execPath, [await built, ...args], env);
};

beforeAll(async () => {
  copy = copyProject("ip1-nki-spec-driven-");
  dir = copy.dir;
  const file = join(dir, "spec/components/schemas/NkiUser.yaml");
  const user = parseYaml(readFileSync(file, "utf8")) as {
    required: string[];
    properties: Record<string, unknown>;
  };
  user.required.push("LastName");
  user.properties.Language = { description: "Preferred survey language", type: "string", maxLength: 5 };
  writeFileSync(file, stringifyYaml(user));
  const pipeline = await inCopy(...npmScript("pipeline", ["--quiet"]));
  expect(pipeline, "the pipeline ran in the copy").toMatchObject({ code: 0 });
  server = await startFaultServer({ answer: 200, body: answerFor(["+46701234567"]) });
}, 60_000);

afterAll(async () => {
  await server?.close();
  copy?.remove();
});

describe("after a spec edit and `npm run pipeline`", () => {
  it("takes a CSV with the new Language column and sends it", async () => {
    writeFileSync(join(dir, "users.csv"), "Phone,FirstName,LastName,Language\n+46701234567,Anna,Ek,sv\n");
    const run = await cli([...send, "--users", "users.csv"], { ...credentials, IP1_BASE_URL: server.url });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const body = JSON.parse(server.requests.at(-1)?.body ?? "{}");
    expect(body.Users).toEqual([{ Phone: "+46701234567", FirstName: "Anna", LastName: "Ek", Language: "sv" }]);
  });

  it("--help lists Language and says LastName is required", async () => {
    const { stdout } = await cli(["send", "--help"]);
    expect(stdout).toContain("FirstName, LastName, Phone, Email, Extra, Language (any order;");
    expect(stdout).toContain("FirstName, LastName and Phone are required");
    expect(stdout).toContain("FirstName, LastName, Phone, Email, Extra, Language; repeat for more, for example");
    expect(stdout).toContain("--to PHONE,FIRSTNAME,LASTNAME[,EMAIL[,EXTRA[,LANGUAGE]]]");
    expect(stdout).toMatch(/ {2}LastName +required; Contact last name/);
    expect(stdout).toMatch(/ {2}Language +optional; Preferred survey language \(at most 5 characters\)/);
  });

  it("refuses a CSV without a LastName column, and a --to without a last name, naming LastName", async () => {
    writeFileSync(join(dir, "no-last-name.csv"), "Phone,FirstName\n+46701234567,Anna\n");
    const csv = await cli([...send, "--users", "no-last-name.csv", "--dry-run"]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain("no-last-name.csv:1: the header has no LastName column; it is required");
    const to = await cli([...send, "--to", "+46701234567,Anna", "--dry-run"]);
    expect(to.code).toBe(2);
    expect(to.stderr).toContain("--to #1 (+46701234567,Anna): LastName: is required");
    expect(server.requests.length).toBeLessThanOrEqual(1); // only the send above reached the server
  });
});

describe("after `npm version 9.8.7 --no-git-tag-version`", () => {
  it("the User-Agent and --version say 9.8.7, with nothing edited by hand", async () => {
    const bump = await inCopy("npm", ["version", "9.8.7", "--no-git-tag-version"]);
    expect(bump.code, bump.stdout + bump.stderr).toBe(0);
    expect(readFileSync(join(dir, "generated/version.js"), "utf8")).toContain('VERSION = "9.8.7"');
    built = undefined;
    expect((await cli(["--version"])).stdout).toBe("9.8.7\n");
    const run = await cli([...send, "--to", "+46701234567,Anna,Ek"], { ...credentials, IP1_BASE_URL: server.url });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(server.requests.at(-1)?.headers["user-agent"]).toBe("ip1-nki/9.8.7");
  }, 30_000);
});
