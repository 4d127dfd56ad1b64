// The API reference page (`npm run docs`) opened in real headless Chromium: the operation, its request and response
// fields and the auth schemes must render from the spec, offline (no request may leave the machine).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocs } from "../../scripts/docs.js";
import { adoptGroup } from "../support/processes.js";
import { type RunningChromium, startChromium } from "./chromium.js";

interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
}
const spec = JSON.parse(readFileSync("generated/openapi.json", "utf8")) as {
  paths: Record<string, Record<string, { operationId: string; summary: string }>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Schema> };
};
// The send, found by its operationId: the spec has other operations (the sent log).
const [path, operation] =
  Object.entries(spec.paths)
    .map(([path, item]) => [path, item.post] as const)
    .find(([, item]) => item?.operationId === "sendNkiToUsers") ?? [];
const { schemas, securitySchemes } = spec.components;

/** The first line of a spec description as Redoc shows it as text (markdown code and emphasis marks gone). */
const firstLine = (description = "") => (description.split("\n")[0] ?? "").replace(/`|\*\*/g, "");

/** Redoc's anchor for a rendered property, e.g. "t=request&path=users[]/firstname". */
const propertiesOf = (schema: Schema | undefined, anchorPrefix: string) =>
  Object.entries(schema?.properties ?? {}).map(([name, property]) => ({
    name,
    anchor: `${anchorPrefix}${name.toLowerCase()}`,
    description: firstLine(property.description),
  }));

let chromium: RunningChromium;
let page: Page;
let tempDir: string;
let html: string;
const pageErrors: string[] = [];
const outboundRequests: string[] = [];

beforeAll(async () => {
  tempDir = mkdtempSync(join(tmpdir(), "ip1-nki-docs-"));
  const docs = await buildDocs(join(tempDir, "index.html"));
  html = readFileSync(docs, "utf8");
  chromium = await startChromium();
  // Playwright starts it as a process group leader: killed by its PID if this file ends without afterAll's stop.
  adoptGroup(chromium.pid);
  page = await chromium.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Shorter than the test timeout, so a missing element fails with Playwright's message naming it.
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // The page must work offline; Redoc's optional logo is the only thing it may try to fetch, and is refused.
  await page.route(/^https?:/, (route) => {
    outboundRequests.push(route.request().url());
    return route.abort();
  });
  await page.goto(pathToFileURL(docs).href);
  // Redoc renders tags collapsed: open the NKI tag (the spec's first) the way a reader does.
  await page.getByText("+ Show").first().click();
  await page.getByRole("heading", { level: 2, name: operation?.summary }).waitFor();
});

afterAll(async () => {
  const pid = chromium?.pid;
  await chromium?.stop();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  if (pid !== undefined) expect(() => process.kill(pid, 0), "Chromium is still running").toThrow();
});

/** Waits for every property to be visible at its anchor, then checks its name and description text. */
async function expectProperties(properties: ReturnType<typeof propertiesOf>) {
  expect(properties.length).toBeGreaterThan(0);
  for (const { name, anchor, description } of properties) {
    const item = page.locator(`[id$="/${anchor}"]`).first();
    await item.waitFor({ state: "visible" });
    await expect(item.locator(".schema-name").first().textContent()).resolves.toBe(name);
    await item.getByText(description).first().waitFor({ state: "visible" });
  }
}

describe("API reference page", () => {
  it("renders the operation: its summary, method and path", async () => {
    expect(path).toBe("/api/nkis/{nki}/users/send");
    expect(operation?.summary).toBe("Send an NKI with the given NKI user information directly");
    // The request panel's endpoint button, and the tag's operation list, both show it.
    await page
      .getByRole("button", { name: `POST ${path}` })
      .first()
      .waitFor({ state: "visible" });
    await expect(page.getByRole("heading", { level: 2, name: operation?.summary }).isVisible()).resolves.toBe(true);
  });

  it("renders every request field (NkiSendRequest and each NkiUser), with its description", async () => {
    const body = propertiesOf(schemas.NkiSendRequest, "t=request&path=");
    const user = propertiesOf(schemas.NkiUser, "t=request&path=users[]/");
    expect(body.map((p) => p.name)).toEqual(expect.arrayContaining(["Users", "From", "Message", "Email"]));
    expect(user.map((p) => p.name)).toEqual(expect.arrayContaining(["FirstName", "LastName", "Phone", "Email"]));
    await expectProperties(body);
    // Redoc renders a nested schema only once it scrolls into view, as a reader's does.
    await page.locator('[id$="/t=request&path=users"] [data-schema-nested-open]').first().scrollIntoViewIfNeeded();
    await expectProperties(user);
  });

  it("renders every field of the 200 response (OutgoingSms), with its description", async () => {
    const outgoing = propertiesOf(schemas.OutgoingSms, "t=response&c=200&path=");
    expect(outgoing.map((p) => p.name)).toEqual(expect.arrayContaining(["Status", "Segments", "TotalPrice", "Price"]));
    await expectProperties(outgoing);
  });

  it("renders both auth schemes with their descriptions", async () => {
    const schemes = Object.entries(securitySchemes);
    expect(schemes.map(([name]) => name)).toEqual(["basicAuth", "bearerAuth"]);
    await page.getByText("View security details").click();
    // Redoc shows one scheme at a time, as a tab each.
    for (const [name, scheme] of schemes) {
      await page.getByRole("tab", { name, exact: true }).click();
      await page.getByText(firstLine(scheme.description)).waitFor({ state: "visible" });
    }
    await page.keyboard.press("Escape");
  });

  it("is self-contained and tells Redoc not to report page views", () => {
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    expect(html).toMatch(/__redoc_options = \{[^}]*"disableTelemetry":true/);
  });

  it("rendered without script errors and without reaching the network for content", () => {
    expect(pageErrors).toEqual([]);
    expect(outboundRequests.filter((url) => !url.startsWith("https://cdn.redoc.ly/redoc/logo"))).toEqual([]);
  });
});
