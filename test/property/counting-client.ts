// The client under test, pointed at the shared Prism, with every request it makes counted before it goes out.
import { createIp1Client, type NkiSendRequest } from "ip1-nki";

export interface ClientSend {
  messages?: unknown;
  /** What sendNki threw, if it threw. */
  error?: unknown;
  /** Requests the client put on the wire for this send. */
  requests: number;
}

export function countingClient(prismUrl: string) {
  let requests = 0;
  const client = createIp1Client({
    account: "ip1-12345",
    apiKey: "test-api-key",
    baseUrl: prismUrl,
    maxRetries: 0,
    env: {},
    fetch: (request) => {
      requests++;
      return fetch(request);
    },
  });

  /** sendNki with the generated path parameters and body, and per-call headers (`null` removes one). */
  return async function send(
    params: Record<string, unknown>,
    body: unknown,
    headers?: Record<string, string | null>,
  ): Promise<ClientSend> {
    requests = 0;
    try {
      return { messages: await client.sendNki(params.nki as number, body as NkiSendRequest, { headers }), requests };
    } catch (error) {
      return { error, requests };
    }
  };
}
