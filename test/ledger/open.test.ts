// Which ledger a send opens, and that a library user who never opens one loads no driver.
import { mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { defaultLedgerPath, isPostgresUrl, openLedger } from "../../src/ledger/open.js";
import { run } from "../support/processes.js";

const dir = mkdtempSync(join(tmpdir(), "ip1-nki-open-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("defaults to the XDG state directory, else ~/.local/state (a relative XDG_STATE_HOME does not count)", async () => {
  expect(await defaultLedgerPath({ XDG_STATE_HOME: "/var/state" })).toBe("/var/state/ip1-nki/ledger.sqlite");
  const home = join(homedir(), ".local", "state", "ip1-nki", "ledger.sqlite");
  expect(await defaultLedgerPath({})).toBe(home);
  expect(await defaultLedgerPath({ XDG_STATE_HOME: "state" })).toBe(home);
});

it("opens IP1_NKI_LEDGER, or XDG_STATE_HOME's file (making its directory), and an explicit spec first", async () => {
  const fromEnv = await openLedger(undefined, { IP1_NKI_LEDGER: join(dir, "env.sqlite") });
  expect(fromEnv.location).toBe(join(dir, "env.sqlite"));
  await fromEnv.close();
  const fromXdg = await openLedger(undefined, { XDG_STATE_HOME: join(dir, "xdg") });
  expect(fromXdg.location).toBe(join(dir, "xdg", "ip1-nki", "ledger.sqlite"));
  await fromXdg.close();
  const explicit = await openLedger(join(dir, "given.sqlite"), { IP1_NKI_LEDGER: join(dir, "env.sqlite") });
  expect(explicit.location).toBe(join(dir, "given.sqlite"));
  await explicit.close();
});

it("takes postgres:// and postgresql:// URLs as PostgreSQL, anything else as a file", () => {
  expect(isPostgresUrl("postgres://u@h/db")).toBe(true);
  expect(isPostgresUrl("POSTGRESQL://u@h/db")).toBe(true);
  expect(isPostgresUrl("./postgres.sqlite")).toBe(false);
});

it("loads no driver until a ledger is opened, and only that ledger's", async () => {
  const { code, stdout, stderr } = await run(process.execPath, [
    "--import",
    "tsx",
    "test/ledger/load-child.ts",
    join(dir, "load.sqlite"),
    "postgres://nobody:x@127.0.0.1:1/none",
  ]);
  expect(code, stderr).toBe(0);
  // node:sqlite needs no flag from Node 22.13 on; before that, better-sqlite3 is the driver.
  const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
  const driver = major > 22 || (major === 22 && minor >= 13) ? [] : ["better-sqlite3"];
  expect(JSON.parse(stdout)).toEqual({ before: [], afterSqlite: driver, afterPostgres: [...driver, "pg"] });
});
