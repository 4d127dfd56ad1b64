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
const logged = { ...record, Status: 22, StatusDescription: "Delivered to the phone", Created: "2026-03-02T09:00:00Z" };

/**
 * A fake IP1 with a sent log: the send answers `sendBody`; the log holds the text (unless `inLog` is false) by ID,
 * bundle and `to=` (the spelling OpenAPI states), not by `to[0]=`; a line-break send comes back with `\r\n`.
 */
function ip1WithLog(sendBody: string, inLog = true): Fault {
  const crlf = { ...logged, ID: 2, Message: "line one\r\nline two" };
  return {
    answerWith: ({ method, url, body }) => {
      const { pathname, searchParams } = new URL(url, "http://ip1.test");
      if (method === "POST") {
        return { answer: 200, body: (body ?? "").includes("\\n") ? JSON.stringify([{ ...record, ID: 2 }]) : sendBody };
      }
      const list = (records: unknown[]) => ({ answer: 200, body: JSON.stringify(inLog ? records : []) });
      if (pathname === "/api/sms/sent/1") {
        return inLog
          ? { answer: 200, body: JSON.stringify(logged) }
          : { answer: 404, body: '{"Message":"No such SMS."}' };
      }
      if (pathname === "/api/sms/sent/2") return { answer: 200, body: JSON.stringify(crlf) };
      if (pathname === "/api/sms/sent/bundle/7") return list([logged]);
      return list(searchParams.getAll("to").includes(record.To) ? [logged] : []);
    },
  };
}

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
      // The sent log answers at once here: no waiting for a text to appear in it.
      logWaitsMs: [0, 0],
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

// Each run starts a Prism (about 2 s of CPU), so there are few, side by side.
describe.concurrent("against a fake IP1 on loopback, through a real Prism proxy", {
  timeout: WHOLE_TOOL_TIMEOUT_MS,
}, () => {
  // With --check-line-break, a second text: so this run is a conforming send, its sent log, and the line break.
  it("a conforming 200 with the credentials, no violations, exit 0; then the sent log: the text is there by ID, bundle and to=; to[0]= is reported", async () => {
    const run = await againstFakeIp1(ip1WithLog(JSON.stringify([record])), [...send, "--check-line-break"]);
    expect(run.code, run.out + run.err).toBe(0);
    expect(run.out).toContain("no spec violations");
    expect(run.out).toContain("1 record(s): 0 delivered, 1 in transit, 0 failed");
    const [request] = run.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/api/nkis/42/users/send");
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from("ip1-12345:sk-test-verify").toString("base64")}`);
    expect(JSON.parse(request?.body ?? "{}")).toMatchObject({ Users: [{ Phone: "+46701234567" }] });
    expect(run.out).toContain("sent log: confirmed: the NKI send's ID 1 is in IP1's log");
    expect(run.out).toContain("sent log: confirmed: the log's BundleID (7) is the send's (7)");
    expect(run.out).toContain("sent log: confirmed: the text is listed in its bundle 7");
    expect(run.out).toContain("sent log: confirmed: GET /api/sms/sent?to=+46701234567 (the spec's spelling) lists");
    expect(run.out).toContain("GET /api/sms/sent?to[0]=+46701234567 does not list the text");
    expect(run.out).toContain("line break: a \\n in Message is turned into \\r\\n in IP1's log");
    const reads = run.requests.filter((request) => request.method === "GET").map((request) => request.url);
    expect(reads).toEqual(
      expect.arrayContaining(["/api/sms/sent/1", "/api/sms/sent/bundle/7", "/api/sms/sent?to=%2B46701234567"]),
    );
    expect(run.requests.filter((request) => request.method === "POST")).toHaveLength(2);
    expect(prismGone(run.out)).toBe(true);
  });

  it('a spec-breaking 200 (Segments as a string; Currency "SEK", contested, as IP1\'s C# client types it): names each field, one request, exit 1', async () => {
    const broken = { ...record, Segments: "1", Currency: "SEK", Encoding: 0 };
    const run = await againstFakeIp1(ip1WithLog(JSON.stringify([broken])), send);
    expect(run.code, run.out + run.err).toBe(1);
    expect(run.out).toMatch(/3 spec violation\(s\):\n/); // Currency: its type and its enum
    expect(run.out).toMatch(/^ {2}response\.body\.0\.Segments: .*must be integer/m);
    expect(run.out).toMatch(/^ {2}response\.body\.0\.Currency: .*must be integer/m);
    expect(run.out).toContain("verify:live: Currency is contested in the spec (see OutgoingSms.Currency");
    expect(run.out).not.toContain("Encoding is contested");
    expect(run.requests).toHaveLength(1); // the send alone: no sent log is read after a broken answer
    expect(prismGone(run.out)).toBe(true);
  });

  it("an NKI send missing from the sent log refutes the inference: exit 1", async () => {
    const run = await againstFakeIp1(ip1WithLog(JSON.stringify([record]), false), send);
    expect(run.code, run.out + run.err).toBe(1);
    expect(run.out).toContain("sent log: REFUTED: the NKI send's ID 1 is in IP1's log");
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
