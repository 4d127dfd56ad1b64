// The "ip1-nki/mock/msw" entry: MSW handlers served by a simulator, for projects that already mock HTTP with MSW
// (msw 2.x, an optional peer dependency of ip1-nki). Every request matching the send path goes to the simulator.
import { type HttpHandler, HttpResponse, http } from "msw";
import { mockRequestOf, toResponse } from "./fetch.js";
import type { Ip1Mock } from "./simulator.js";
import { SEND_PATH } from "./spec-facts.js";

export interface Ip1MockHandlersOptions {
  /** The base URL the client is given; default https://api.ip1sms.com (the client's own default). */
  baseUrl?: string;
}

/** `setupServer(...ip1MockHandlers(mock))`: the send path on `baseUrl`, answered by `mock`. */
export function ip1MockHandlers(mock: Ip1Mock, options: Ip1MockHandlersOptions = {}): HttpHandler[] {
  const baseUrl = (options.baseUrl ?? "https://api.ip1sms.com").replace(/\/+$/, "");
  const path = `${baseUrl}${SEND_PATH.replace(/\{([^}]+)\}/g, ":$1")}`;
  return [
    http.all(path, async ({ request }) => {
      const answer = mock.handle(await mockRequestOf(request));
      if (answer.kind === "response") return toResponse(answer);
      if (answer.kind === "reset") return HttpResponse.error();
      // A hang: never answer; MSW passes the request's abort on to the caller.
      return new Promise<never>(() => {});
    }),
  ];
}
