// `npm run verify:live`, wired to a fake IP1 on loopback (the real API is never contacted by tests): it sends one
// NKI through a Prism proxy, reports a spec-breaking answer, sends nothing without credentials or confirmation, and
// stops the Prism it started.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { verifyLive } from "../../scripts/verify-live.js";
import { type Fault, type FaultServer, startFaultServer } from "../support/fault-server.js";
import { run as runProcess, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";

const credentials = { IP1_ACCOUNT: "ip1-12345", IP1_API_KEY: "sk-test-verify" };
const record = { ID: 1, BundleID: 7, Status: 0, To: "+46701234567", From: "ip1nki", Message: "x", Segments: 1 };
const send = ["--to", "+46701234567", "--nki", "42", "--yes"];

/** Runs verifyLive in this process against a fake IP1 answering `fault`, with only the env given. */
async function againstFakeIp1(
  fault: Fault,
  args: string[],
  env: Record<string, string> = credentials,
  ask?: (question: string) => Promise<string>,
) {
  const upstream: FaultServer = await startFaultServer(fault);
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  try {
    const code = await verifyLive(args, {
      env: { ...env, IP1_BASE_URL: upstream.url },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      ask:
        ask &&
        ((question) => {
          questions.push(question);
          return ask(question);
        }),
    });
    return { code, out: out.join("\n"), err: err.join("\n"), requests: upstream.requests, questions };
  } finally {
    await upstream.close();
  }
}

/** Whether the Prism whose PID the script printed is gone. */
function prismGone(out: string): boolean {
  const pid = Number(/Prism proxy \(pid (\d+)\)/.exec(out)?.[1]);
  expect(pid).toBeGreaterThan(0);
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

// The two runs start a Prism each (~3 s of start-up), so they run side by side.
describe.concurrent("against a fake IP1 on loopback, through a real Prism proxy", {
  timeout: WHOLE_TOOL_TIMEOUT_MS,
}, () => {
  it("a conforming 200: one request reaches IP1 with the credentials, no violations, exit 0", async () => {
    const run = await againstFakeIp1({ answer: 200, body: JSON.stringify([record]) }, send);
    expect(run.code, run.out + run.err).toBe(0);
    expect(run.out).toContain("no spec violations");
    expect(run.out).toContain("1 record(s): 0 delivered, 1 in transit, 0 failed");
    expect(run.requests).toHaveLength(1);
    const [request] = run.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/api/nkis/42/users/send");
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from("ip1-12345:sk-test-verify").toString("base64")}`);
    expect(JSON.parse(request?.body ?? "{}")).toMatchObject({ Users: [{ Phone: "+46701234567" }] });
    expect(prismGone(run.out)).toBe(true);
  });

  it("a spec-breaking 200 (Segments as a string): names the field, exit 1", async () => {
    const run = await againstFakeIp1({ answer: 200, body: JSON.stringify([{ ...record, Segments: "1" }]) }, send);
    expect(run.code, run.out + run.err).toBe(1);
    expect(run.out).toMatch(/1 spec violation\(s\):\n {2}response\.body\.0\.Segments: .*must be integer/);
    expect(run.requests).toHaveLength(1);
    expect(prismGone(run.out)).toBe(true);
  });

  it('a string in a contested field (Currency "SEK", as IP1\'s C# client types it): flagged by name, exit 1', async () => {
    const run = await againstFakeIp1(
      { answer: 200, body: JSON.stringify([{ ...record, Currency: "SEK", Encoding: 0 }]) },
      send,
    );
    expect(run.code, run.out + run.err).toBe(1);
    expect(run.out).toMatch(/response\.body\.0\.Currency: .*must be integer/);
    expect(run.out).toContain("verify:live: Currency is contested in the spec (see OutgoingSms.Currency");
    expect(run.out).not.toContain("Encoding is contested");
    expect(run.requests).toHaveLength(1);
    expect(prismGone(run.out)).toBe(true);
  });
});

describe("sends nothing, and starts no Prism", () => {
  const noop: Fault = { answer: 200, body: "[]" };

  it("without credentials: a clear message, exit 2", async () => {
    const run = await againstFakeIp1(noop, send, {});
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/IP1_ACCOUNT and IP1_API_KEY, or IP1_TOKEN/);
    expect(run.err).toContain("Nothing was sent.");
    expect(run.requests).toHaveLength(0);
  });

  it("without --yes when there is nobody to ask: exit 2", async () => {
    const run = await againstFakeIp1(noop, ["--to", "+46701234567", "--nki", "42"]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/not confirmed.*--yes/);
    expect(run.requests).toHaveLength(0);
  });

  it("when the user does not answer yes at the prompt, which names the number: exit 2", async () => {
    const run = await againstFakeIp1(noop, ["--to", "+46701234567", "--nki", "42"], credentials, async () => "no");
    expect(run.questions).toEqual([expect.stringContaining("real SMS to +46701234567")]);
    expect(run.code).toBe(2);
    expect(run.requests).toHaveLength(0);
  });

  it("for invalid input, naming the field: exit 2", async () => {
    const run = await againstFakeIp1(noop, ["--to", "+4670123456789012345", "--nki", "42", "--yes"]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("/Users/0/Phone must NOT have more than 16 characters");
    expect(run.requests).toHaveLength(0);
  });

  it("without --to or --nki: exit 2", async () => {
    expect((await againstFakeIp1(noop, ["--nki", "42", "--yes"])).err).toContain("--to is required");
    expect((await againstFakeIp1(noop, ["--to", "+46701234567", "--nki", "4.5"])).err).toContain("--nki is required");
  });

  it("to an http upstream that is not loopback, which would carry the key in clear: exit 2", async () => {
    const err: string[] = [];
    const code = await verifyLive(send, {
      env: { ...credentials, IP1_BASE_URL: "http://api.ip1sms.com" },
      out: () => {},
      err: (line) => err.push(line),
    });
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(/Refusing to send IP1 credentials to http:\/\/api\.ip1sms\.com/);
  });
});

it("runs as a program: --help prints usage; without credentials it exits 2", async () => {
  const run = async (args: string[]) => {
    const { code, stdout, stderr } = await runProcess(
      process.execPath,
      ["--import", "tsx", "scripts/verify-live.ts", ...args],
      {
        cwd: fileURLToPath(new URL("../../", import.meta.url)),
        env: { PATH: process.env.PATH ?? "" },
      },
    );
    return { code, output: stdout + stderr };
  };
  const [help, bare] = await Promise.all([run(["--help"]), run(send)]);
  expect(help).toMatchObject({ code: 0, output: expect.stringMatching(/^Usage: npm run verify:live -- --to/) });
  expect(bare).toMatchObject({ code: 2, output: expect.stringContaining("Nothing was sent.") });
});
