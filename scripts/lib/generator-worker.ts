// Steps 3 and 4 (types and validators) run on a worker thread, the main thread meanwhile linting the spec. Loading
// openapi-typescript brings TypeScript 5.9's compiler and its own Redocly, the longest loads of a cold run; on a
// worker they overlap with loading Redocly, linting and bundling here. Once loaded, the worker stays warm for
// --watch.
import { parentPort, Worker } from "node:worker_threads";
import type { OpenApiDocument } from "../bundle.js";
import type { SpecConfig } from "./project.js";

type Request =
  | { step: "types"; document: OpenApiDocument; typesOptions: SpecConfig["typesOptions"] }
  | { step: "validators"; document: OpenApiDocument };
type Reply = { id: number } & ({ outputs: Record<string, string> } | { error: string });

export interface GeneratorWorker {
  /** The generated code of `types` (the .d.ts) or `validators` (code and .d.ts). */
  types(document: OpenApiDocument, typesOptions: SpecConfig["typesOptions"]): Promise<string>;
  validators(document: OpenApiDocument): Promise<{ code: string; types: string }>;
  stop(): Promise<void>;
}

/** Starts the worker now, so its imports load while the caller does other work. */
export function startGeneratorWorker(): GeneratorWorker {
  // A worker thread inherits neither loader hooks nor the compile cache: it prepares itself as run-ts.mjs did.
  const prepare = JSON.stringify(new URL("../run-ts.mjs", import.meta.url).href);
  const worker = new Worker(
    `import(${prepare}).then((runTs) => runTs.prepareThread()).then(() => import(${JSON.stringify(import.meta.url)}));`,
    { eval: true },
  );
  const waiting = new Map<number, { resolve(outputs: Record<string, string>): void; reject(error: Error): void }>();
  let nextId = 0;
  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on("message", (reply: Reply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ("outputs" in reply) pending?.resolve(reply.outputs);
    else pending?.reject(new Error(reply.error));
  });
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`The generator worker exited (code ${code}).`)));
  const ask = (request: Request) =>
    new Promise<Record<string, string>>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  return {
    types: async (document, typesOptions) => (await ask({ step: "types", document, typesOptions })).types as string,
    validators: async (document) => {
      const { code, types } = await ask({ step: "validators", document });
      return { code: code as string, types: types as string };
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}

// Inside the worker: start loading both generators at once, then answer each request.
if (parentPort) {
  const port = parentPort;
  const typesModule = import("../gen-types.js");
  const validatorsModule = import("../gen-validators.js");
  // A failed import is reported by the request that needs it, not as an unhandled rejection.
  typesModule.catch(() => {});
  validatorsModule.catch(() => {});
  port.on("message", async ({ id, request }: { id: number; request: Request }) => {
    try {
      const outputs =
        request.step === "types"
          ? { types: await (await typesModule).generateTypes(request, request.document) }
          : (await validatorsModule).generateValidators(request.document);
      port.postMessage({ id, outputs } satisfies Reply);
    } catch (error) {
      port.postMessage({
        id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies Reply);
    }
  });
}
