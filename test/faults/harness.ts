// Runs fault cases: starts each case's misbehaving server(s) here, sends from a child process (scenario-child.ts),
// and hands back what the child saw and what reached each server, plus how the child ended.
import { fileURLToPath } from "node:url";
import { bundled } from "../support/bundled.js";
import { type Fault, type FaultServer, type SeenRequest, startFaultServer } from "../support/fault-server.js";
import { freePort } from "../support/free-port.js";
import { killGroup, start } from "../support/processes.js";
import type { ChildResult, ChildScenario } from "./scenario-child.js";

export interface FaultCase {
  /** The row of the fault table: what the server does. */
  name: string;
  /**
   * What the server does with each request; a function when it must point at the other server (redirects).
   * Absent: no server at all, and the client connects to a closed port.
   */
  faults?: Fault | Fault[] | ((otherUrl: string) => Fault | Fault[]);
  /** A second server on another origin (another port, or another loopback address). */
  other?: { host: string; faults: Fault | Fault[] };
  client?: Partial<ChildScenario["client"]>;
  send?: ChildScenario["send"];
  /** What is sent, when the case is about the input rather than the server: validBody otherwise. */
  body?: unknown;
  nki?: number;
}

export interface Observed {
  result: ChildResult;
  /** Requests that reached the case's server. */
  requests: SeenRequest[];
  /** Requests that reached the other server. */
  otherRequests: SeenRequest[];
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Rejections nobody handled, as the child counted them up to its exit. */
  unhandled: string[];
  /** Everything the child wrote, for the secret search. */
  output: string;
}

/** Credentials every fault case runs with; the secret-hygiene test searches for them. */
export const basicCredentials = { account: "ip1-12345", apiKey: "sk-test-SECRET-4242" };

/** A valid send; the faults are the server's, never the input's. */
export const validBody = {
  Users: [{ FirstName: "Anna", LastName: "Svensson", Phone: "+46701234567" }],
  From: "Acme",
  Message: "Hur nöjd är du med ditt besök?",
};

/** The longest a child may take to finish every scenario and exit by itself (a guard, not a measurement). */
const exitBoundMs = 30_000;
const root = fileURLToPath(new URL("../../", import.meta.url));

export async function runFaultCases(
  cases: FaultCase[],
  credentials: Pick<ChildScenario["client"], "account" | "apiKey" | "token"> = basicCredentials,
  extraScenarios: ChildScenario[] = [],
): Promise<{ observed: Map<string, Observed>; exit: ChildExit }> {
  const servers: FaultServer[] = [];
  try {
    const prepared = await Promise.all(
      cases.map(async (each) => {
        const other = each.other && (await startFaultServer(each.other.faults, { host: each.other.host }));
        const faults = typeof each.faults === "function" ? each.faults(other?.url ?? "") : each.faults;
        const server = faults === undefined ? undefined : await startFaultServer(faults);
        for (const started of [server, other]) if (started) servers.push(started);
        const baseUrl = server?.url ?? `http://127.0.0.1:${await freePort()}`;
        const scenario: ChildScenario = {
          id: each.name,
          client: { ...credentials, baseUrl, maxRetries: 2, timeoutMs: 10_000, ...each.client },
          body: each.body ?? validBody,
          nki: each.nki,
          send: each.send,
        };
        return { server, other, scenario };
      }),
    );
    const exit = await runChild([...prepared.map(({ scenario }) => scenario), ...extraScenarios]);
    const results = new Map<string, ChildResult>();
    for (const line of exit.output.split("\n")) {
      if (line.startsWith('{"id"')) {
        const result = JSON.parse(line) as ChildResult;
        results.set(result.id, result);
      }
    }
    const observed = new Map<string, Observed>();
    const withoutServer = extraScenarios.map((scenario) => ({ scenario, server: undefined, other: undefined }));
    for (const { scenario, server, other } of [...prepared, ...withoutServer]) {
      const result = results.get(scenario.id);
      if (!result) throw new Error(`the child reported nothing for "${scenario.id}":\n${exit.output}`);
      observed.set(scenario.id, { result, requests: server?.requests ?? [], otherRequests: other?.requests ?? [] });
    }
    return { observed, exit };
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

/** Spawns the child and waits for it to exit by itself; one that does not within the bound is killed and fails. */
export async function runChild(scenarios: ChildScenario[]): Promise<ChildExit> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("IP1_")));
  const child = start(
    process.execPath,
    [await bundled("test/faults/scenario-child.ts")],
    // On stdin, not in argv: a scenario may carry megabytes (a 10 MB Extra cell), more than argv can hold.
    { cwd: root, env, input: JSON.stringify(scenarios) },
  );
  let guard: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    guard = setTimeout(() => {
      void killGroup(child.pid);
      reject(new Error(`the child did not exit within ${exitBoundMs} ms: something stayed open.\n${output()}`));
    }, exitBoundMs);
  });
  const output = () => child.stdout + child.stderr;
  try {
    const { code, signal } = await Promise.race([child.exited, stuck]);
    const last = output()
      .split("\n")
      .filter((line) => line.startsWith('{"exit"'))
      .at(-1);
    const unhandled = last
      ? (JSON.parse(last) as { unhandled: string[] }).unhandled
      : ["(the child never reached exit)"];
    return { code, signal, unhandled, output: output() };
  } finally {
    clearTimeout(guard);
  }
}
