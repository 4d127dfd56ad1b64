// The send reads its input twice and sends it a window of chunks at a time (chunk size × concurrency × 2 recipients),
// so memory does not grow with the input: across windows each person is sent once and in order, --json still lists
// every recipient, an oversized chunk in a later window refuses the whole send before any request, and a stop
// mid-run leaves the unread rest for a rerun.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  accepted,
  credentials,
  dirWithUsers,
  phoneOf,
  phonesPerRequest,
  runCli,
  send,
  serve,
  writeUsersCsv,
} from "./support.js";

// 3 per chunk, 2 at once: windows of 12, so 50 recipients are 5 windows (12, 12, 12, 12, 2) of 17 chunks.
const WINDOWED = ["--chunk-size", "3", "--concurrency", "2"];
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => phoneOf(from + i));

describe("a send in windows", () => {
  it("sends each of 50 recipients once, in chunks in CSV order, and --json lists every one with its line", async () => {
    const server = await serve(accepted);
    const cwd = dirWithUsers(50);
    const args = [...send, ...WINDOWED, "--users", "users.csv", "--base-url", server.url, "--json"];
    const result = await runCli(args, { env: credentials, cwd });
    expect(result.code, result.stderr).toBe(0);
    const requests = phonesPerRequest(server.requests);
    expect(requests).toHaveLength(17);
    expect(requests.flat().sort()).toEqual(range(0, 50));
    for (const phones of requests) expect(phones.length).toBeLessThanOrEqual(3);
    const report = JSON.parse(result.stdout);
    expect(report.recipients).toMatchObject({ total: 50, sent: 50, "not-sent": 0 });
    expect(report.texts.map((text: { phone: string }) => text.phone)).toEqual(range(0, 50));
    expect(report.texts.map((text: { line: number }) => text.line)).toEqual(range(0, 50).map((_, i) => i + 2));
    expect(
      report.texts.every((text: { state: string; ip1?: { id?: string } }) => text.state === "sent" && text.ip1?.id),
    ).toBe(true);
    // A rerun across the same windows texts nobody: everyone is held as sent.
    const rerun = await runCli(args, { env: credentials, cwd });
    expect(rerun.code).toBe(2);
    expect(JSON.parse(rerun.stdout).held).toEqual({ sent: 50 });
    expect(server.requests).toHaveLength(17);
  });

  it("refuses the whole send before any request when a chunk in a later window is over the byte limit", async () => {
    const server = await serve(accepted);
    const cwd = dirWithUsers(0);
    const path = writeUsersCsv(cwd, 50);
    // Row 41 (line 42) gets a 1.1 MB Extra cell: chunk 13 (lines 41 to 43), in the fourth window.
    const rows = readFileSync(path, "utf8").split("\r\n");
    rows[41] = rows[41]?.replace(/kund 40$/, "x".repeat(1_100_000)) ?? "";
    writeFileSync(path, rows.join("\r\n"));
    const result = await runCli([...send, ...WINDOWED, "--users", "users.csv", "--base-url", server.url], {
      env: credentials,
      cwd,
    });
    expect(result.code).toBe(2);
    expect(server.requests).toHaveLength(0);
    expect(result.stderr).toMatch(/chunk 13 \(line 41 to line 43\): is \d+ bytes of JSON, over the 1048576-byte limit/);
    expect(result.stderr).toContain("--chunk-size");
  });

  it("a stop in the first window sends no later window; a rerun sends exactly the rest", async () => {
    const server = await serve(accepted);
    const cwd = dirWithUsers(50);
    const stop = new AbortController();
    const args = [...send, "--chunk-size", "3", "--concurrency", "1", "--users", "users.csv", "--base-url", server.url];
    // The stop comes once the first request reached the server: later chunks, and later windows, are not sent.
    void server.waitForRequests(1).then(() => stop.abort());
    const first = await runCli([...args, "--json"], { env: credentials, cwd, stop: stop.signal });
    const report = JSON.parse(first.stdout);
    const sent = phonesPerRequest(server.requests).flat();
    expect(report.recipients.sent).toBe(sent.length);
    expect(report.recipients["not-sent"]).toBe(50 - sent.length);
    expect(first.code).toBe(1);
    const rerun = await runCli(args, { env: credentials, cwd });
    expect(rerun.code, rerun.stdout).toBe(0);
    const all = phonesPerRequest(server.requests).flat();
    expect(all.sort()).toEqual(range(0, 50));
  });
});
