// `npm run mock`: the script starts the simulator on PORT, says how to use it, answers like the API (one record per
// recipient, 401 without credentials), and on SIGTERM stops and exits 0. And `ip1-nki mock`'s options.
import { createIp1Client } from "ip1-nki";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MOCK_PORT, mockPort } from "../../scripts/mock.js";
import { MOCK_CREDENTIALS, mockBanner } from "../../src/cli/mock.js";
import { parseMockArgs } from "../../src/cli/mock-command.js";
import { run } from "../../src/cli/run.js";
import { freePort } from "../support/free-port.js";
import { readNpmScript } from "../support/npm-script.js";
import { type Started, start } from "../support/processes.js";

const nkiRequest = {
  Users: [{ FirstName: "Anna", Phone: "+46701234567" }],
  From: "Acme",
  Message: "Hur nöjd är du?",
};

describe("mockPort", () => {
  it("is 4010 without PORT, and PORT when it is a port number", () => {
    expect(mockPort({})).toBe(DEFAULT_MOCK_PORT);
    expect(DEFAULT_MOCK_PORT).toBe(4010);
    expect(mockPort({ PORT: "8080" })).toBe(8080);
  });

  it.each(["abc", "0", "65536", "80.5"])("rejects PORT=%s, naming the variable", (port) => {
    expect(() => mockPort({ PORT: port })).toThrow(`PORT must be a whole number from 1 to 65535, not "${port}".`);
  });
});

describe("ip1-nki mock's options", () => {
  it("default to port 4010 and the simulator's defaults", () => {
    expect(parseMockArgs([])).toEqual({ help: false, options: { port: 4010 } });
    expect(parseMockArgs(["--port", "0", "--seed", "7", "--credits", "100", "--prices", '{"SE":0.4}'])).toEqual({
      help: false,
      options: { port: 0, seed: 7, credits: 100, prices: { SE: 0.4 } },
    });
  });

  it.each([
    [["--port", "65536"], '--port: must be a whole number from 0 to 65535, not "65536".'],
    [["--credits", "1.5"], '--credits: must be a whole number from 0 to 9007199254740991, not "1.5".'],
    [["--scenario", "{hang"], "--scenario: not JSON; give an object such as '{\"hang\":true}'."],
    [["--prices", '{"SE":"cheap"}'], "Cannot start the mock: mock prices.SE: must be a price of 0 or more."],
    [["--scenario", '{"serverError":{"status":404}}'], "scenario.serverError.status: must be from 500 to 599."],
    [["extra"], 'Unexpected argument "extra". (see ip1-nki mock --help)'],
  ])("refuses %j with exit 2, naming the option", async (argv, message) => {
    let stderr = "";
    const code = await run(["mock", ...argv], {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      cwd: process.cwd(),
    });
    expect({ code, stderr }).toEqual({ code: 2, stderr: expect.stringContaining(message) });
  });
});

describe("npm run mock (scripts/mock.ts)", () => {
  let script: Started;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // package.json's own command (`node --import tsx scripts/mock.ts`), so a signal reaches the script itself: the
    // tsx CLI would relay it, and SIGKILL the script (exit 143) if it took over 30 ms to say it got it, as it can on
    // a busy machine. Its own process group, killed after this file's tests whatever happens (test/support/processes.ts).
    script = start(...readNpmScript(".", "mock"), { env: { ...process.env, PORT: String(port) } });
    // Ready when it prints its banner, which it does only once the server listens.
    await script.waitForOutput("Ctrl-C stops it.");
  });

  it("prints its URL, on PORT, with the snippets for the library and the CLI", () => {
    expect(script.stdout).toContain(mockBanner(url));
    expect(script.stdout).toContain(`createIp1Client({ baseUrl: "${url}"`);
    expect(script.stdout).toContain(`IP1_BASE_URL=${url}`);
  });

  it("answers a send from the client configured as the banner says, with one record for the one recipient", async () => {
    const client = createIp1Client({ baseUrl: url, ...MOCK_CREDENTIALS, env: {} });
    const records = await client.sendNki(42, nkiRequest);
    expect(records).toMatchObject([{ To: "+46701234567", From: "Acme", Message: "Hur nöjd är du?", Status: 0 }]);
  });

  it("answers a raw request without credentials with a 401", async () => {
    const response = await fetch(`${url}/api/nkis/42/users/send`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(nkiRequest),
    });
    expect(response.status).toBe(401);
  });

  it("stops and exits 0 on SIGTERM, saying what it sent", async () => {
    process.kill(script.pid, "SIGTERM");
    await expect(script.exited).resolves.toMatchObject({ code: 0 });
    expect(script.stderr).toContain('2 request(s); 1 SMS "sent".');
    // Nothing listens on the port any more.
    await expect(fetch(`${url}/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});
