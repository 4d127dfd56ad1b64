// The "ip1-nki/mock/msw" entry: MSW handlers served by a simulator, for projects that already mock HTTP with MSW
// (msw 2.x, an optional peer dependency of ip1-nki). Every request matching the send path goes to the simulator.
import { type HttpHandler, HttpResponse, http } from "msw";
import { DEFAULTS } from "../defaults.js";
import { mockRequestOf, toResponse } from "./fetch.js";
import type { Ip1Mock } from "./simulator.js";
import { SEND_PATH, sentBundleOperation, sentListOperation, sentSmsOperation } from "./spec-facts.js";

export interface Ip1MockHandlersOptions {
  /** The base URL the client is given; default `DEFAULTS.baseUrl` (the client's own default). */
  baseUrl?: string;
}

/** `setupServer(...ip1MockHandlers(mock))`: the send path and the sent log's paths on `baseUrl`, answered by `mock`. */
export function ip1MockHandlers(mock: Ip1Mock, options: Ip1MockHandlersOptions = {}): HttpHandler[] {
  const baseUrl = (options.baseUrl ?? DEFAULTS.baseUrl).replace(/\/+$/, "");
  const pathOf = (template: string) => `${baseUrl}${template.replace(/\{([^}]+)\}/g, ":$1")}`;
  const answer = async ({ request }: { request: Request }) => {
    const decided = mock.handle(await mockRequestOf(request));
    if (decided.kind === "response") return toResponse(decided);
    if (decided.kind === "reset") return HttpResponse.error();
    // A hang: never answer; MSW passes the request's abort on to the caller.
    return new Promise<never>(() => {});
  };
  // Every method, so the simulator answers a wrong one (405) as IP1 would, rather than MSW passing it through.
  return [SEND_PATH, sentListOperation.path, sentSmsOperation.path, sentBundleOperation.path].map((template) =>
    http.all(pathOf(template), answer),
  );
}
