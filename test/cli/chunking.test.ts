// Bulk: 2,500 recipients go out as 3 requests (1000, 1000, 500) in CSV order; the ledger holds each person once, with
// the CSV line and IP1's record; the progress bar shows on a terminal only.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  accepted,
  credentials,
  dirWithUsers,
  ledgerEntries,
  phoneOf,
  phonesPerRequest,
  runCli,
  send,
  sendInTens,
  serve,
} from "./support.js";

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => phoneOf(from + i));

describe("2,500 recipients from a CSV", () => {
  it("go out as 3 requests of 1000, 1000 and 500, each recipient once, and the ledger holds each person once", async () => {
    const server = await serve(accepted);
    const cwd = dirWithUsers(2500);
    const result = await runCli([...send, "--users", "users.csv", "--ledger", "run.sqlite", "--base-url", server.url], {
      env: credentials,
      cwd,
    });
    expect(result.code).toBe(0);
    const sent = phonesPerRequest(server.requests).sort((a, b) => a[0]?.localeCompare(b[0] ?? "") ?? 0);
    expect(sent).toEqual([range(0, 1000), range(1000, 2000), range(2000, 2500)]);

    const entries = await ledgerEntries(join(cwd, "run.sqlite"));
    expect(entries).toHaveLength(2500);
    const host = new URL(server.url);
    expect(entries[0]).toMatchObject({
      target: `http://127.0.0.1:${host.port}`,
      nki: 42,
      round: "default",
      phone: phoneOf(0),
      line: 2,
      name: "Namn0 Efternamn, 0",
      from: "Acme",
      state: "sent",
      attempts: 1,
      messageHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(entries.map((entry) => entry.line)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 2));
  });

  it("--chunk-size and --concurrency 1 send smaller chunks one after another, in order", async () => {
    const server = await serve(accepted);
    const result = await sendInTens({ cwd: dirWithUsers(25), url: server.url });
    expect(result.code).toBe(0);
    expect(phonesPerRequest(server.requests)).toEqual([range(0, 10), range(10, 20), range(20, 25)]);
  });
});

describe("the progress bar", () => {
  it("is drawn on stderr when it is a terminal, and cleared at the end", async () => {
    const server = await serve(accepted);
    const result = await sendInTens({ cwd: dirWithUsers(30), url: server.url, tty: true });
    expect(result.code).toBe(0);
    const frames = result.stderr.split("\r\x1b[K").filter(Boolean);
    expect(frames.map((frame) => frame.replace(/^\[[#-]+\] /, ""))).toEqual([
      "0/30 recipients, 0/3 chunks",
      "10/30 recipients, 1/3 chunks",
      "20/30 recipients, 2/3 chunks",
      "30/30 recipients, 3/3 chunks",
    ]);
    expect(result.stderr.endsWith("\r\x1b[K")).toBe(true);
  });

  it("is not drawn when stderr is not a terminal", async () => {
    const server = await serve(accepted);
    const result = await sendInTens({ cwd: dirWithUsers(30), url: server.url });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });
});

describe("stopping (Ctrl-C in the bin)", () => {
  it("starts no new chunk once stopped; who never went out is reported, and left for a rerun (exit 1)", async () => {
    const server = await serve(accepted);
    const cwd = dirWithUsers(30);
    const stop = new AbortController();
    stop.abort();
    const result = await sendInTens({ cwd, url: server.url, stop: stop.signal }, "--ledger", "j.sqlite");
    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(0);
    expect(result.stdout).toContain("0 in flight, 30 not sent.");
    expect(result.stdout).toContain("run the same command again to send them");
    expect(await ledgerEntries(join(cwd, "j.sqlite"))).toEqual([]);
  });
});
