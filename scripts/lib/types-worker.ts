// Runs step 3 (types) on a worker thread. Importing openapi-typescript loads TypeScript 5.9's compiler, about
// 1.4 s on its own; on a worker that load overlaps with lint, bundle and validators on the main thread.
import { parentPort, Worker } from "node:worker_threads";
import type { OpenApiDocument } from "../bundle.js";
import type { SpecConfig } from "./project.js";

interface TypesRequest {
  document: OpenApiDocument;
  typesOptions: SpecConfig["typesOptions"];
}
type TypesReply = { types: string } | { error: string };

export interface TypesWorker {
  generate(document: OpenApiDocument, typesOptions: SpecConfig["typesOptions"]): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the worker now, so its imports load while the caller does other work. */
export function startTypesWorker(): TypesWorker {
  // A worker thread inherits neither loader hooks nor the compile cache: it prepares itself as run-ts.mjs did.
  const prepare = JSON.stringify(new URL("../run-ts.mjs", import.meta.url).href);
  const worker = new Worker(
    `import(${prepare}).then((runTs) => runTs.prepareThread()).then(() => import(${JSON.stringify(import.meta.url)}));`,
    { eval: true },
  );
  return {
    generate: (document, typesOptions) =>
      new Promise((resolve, reject) => {
        worker.once("error", reject);
        worker.once("message", (reply: TypesReply) => {
          worker.off("error", reject);
          if ("types" in reply) resolve(reply.types);
          else reject(new Error(reply.error));
        });
        worker.postMessage({ document, typesOptions } satisfies TypesRequest);
      }),
    stop: async () => {
      await worker.terminate();
    },
  };
}

// Inside the worker: load openapi-typescript at once, then answer each request.
if (parentPort) {
  const port = parentPort;
  const loading = import("../gen-types.js");
  port.on("message", async ({ document, typesOptions }: TypesRequest) => {
    try {
      const { generateTypes } = await loading;
      port.postMessage({ types: await generateTypes({ typesOptions }, document) } satisfies TypesReply);
    } catch (error) {
      port.postMessage({
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies TypesReply);
    }
  });
}
