// `npm run mock`: the script starts Prism on PORT, says how to use it, answers like the API, and on SIGTERM stops
// Prism and exits.
import { createIp1Client } from "ip1-nki";
import { beforeAll, describe, expect, it } from "vitest";
import { packageFile } from "../../scripts/lib/run-node.js";
import { DEFAULT_MOCK_PORT, mockBanner, mockPort } from "../../scripts/mock.js";
import { MOCK_CREDENTIALS } from "../../src/cli/mock.js";
import { freePort } from "../../src/mock/free-port.js";
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

describe("npm run mock (scripts/mock.ts)", () => {
  let script: Started;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Its own process group, killed after this file's tests whatever happens (test/support/processes.ts).
    script = start(process.execPath, [packageFile("tsx", "dist/cli.mjs"), "scripts/mock.ts"], {
      env: { ...process.env, PORT: String(port) },
    });
    // Ready when it prints its banner, which it does only once Prism answers.
    await script.waitForOutput("Ctrl-C stops it.");
  });

  it("prints its URL, on PORT, with the snippets for the library and the CLI", () => {
    expect(script.stdout).toContain(mockBanner(url));
    expect(script.stdout).toContain(`createIp1Client({ baseUrl: "${url}"`);
    expect(script.stdout).toContain(`IP1_BASE_URL=${url}`);
  });

  it("answers a send from the client configured as the banner says, with the spec's OutgoingSms records", async () => {
    const client = createIp1Client({ baseUrl: url, ...MOCK_CREDENTIALS, env: {} });
    const records = await client.sendNki(42, nkiRequest);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(record).toMatchObject({ From: expect.any(String), Message: expect.any(String) });
    }
  });

  it("answers a raw request without credentials with a 401", async () => {
    const response = await fetch(`${url}/api/nkis/42/users/send`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(nkiRequest),
    });
    expect(response.status).toBe(401);
  });

  it("stops Prism and exits 0 on SIGTERM", async () => {
    process.kill(script.pid, "SIGTERM");
    await expect(script.exited).resolves.toMatchObject({ code: 0 });
    // Prism went with it: nothing listens on the port any more.
    await expect(fetch(`${url}/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});
