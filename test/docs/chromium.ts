// Debian's real Chromium, driven by playwright-core, for tests that must see a page the way a reader does.
// Launched as a server so the test owns the browser's process and stops it by PID.
import { existsSync } from "node:fs";
import { type Browser, type BrowserServer, chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface RunningChromium {
  browser: Browser;
  pid: number;
  stop(): Promise<void>;
}

export async function startChromium(executablePath = CHROMIUM_PATH): Promise<RunningChromium> {
  if (!existsSync(executablePath)) {
    // Never a skip: the reference page is part of what we ship, so a machine that cannot check it must say so.
    throw new Error(
      `Chromium is not installed at ${executablePath}; the API reference page test needs it. ` +
        "Install it with: apt-get update && apt-get install -y chromium",
    );
  }
  const server = await chromium.launchServer({ executablePath, args: CHROMIUM_ARGS });
  const pid = server.process().pid;
  if (pid === undefined) {
    await server.kill();
    throw new Error("Chromium started without a PID.");
  }
  const browser = await chromium.connect(server.wsEndpoint());
  return { browser, pid, stop: () => stopServer(browser, server) };
}

async function stopServer(browser: Browser, server: BrowserServer) {
  await browser.close();
  await server.close();
}
