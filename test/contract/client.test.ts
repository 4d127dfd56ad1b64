// The client against the shared Prism mock of the spec: real HTTP, real status codes, the spec's own answers.
import {
  createIp1Client,
  Ip1ApiError,
  Ip1AuthenticationError,
  Ip1NoCreditsError,
  Ip1ValidationError,
  type NkiSendRequest,
} from "ip1-nki";
import { describe, expect, it } from "vitest";
import { validateSendNkiToUsersResponse200 } from "../../generated/validators.js";
import { exampleBody } from "../support/spec.js";
import { suitePrism } from "../support/suite-prism.js";

const prismUrl = await suitePrism();
const valid = exampleBody as unknown as NkiSendRequest;

/** A client whose every request is counted before it goes to Prism. */
function countingClient(options: Parameters<typeof createIp1Client>[0] = {}) {
  let requests = 0;
  const client = createIp1Client({
    account: "ip1-12345",
    apiKey: "test-api-key",
    baseUrl: prismUrl,
    env: {},
    ...options,
    fetch: (request) => {
      requests++;
      return fetch(request);
    },
  });
  return { client, requests: () => requests };
}

describe("client against Prism", () => {
  it("sends a valid request and resolves to records that match the spec (Basic and Bearer)", async () => {
    for (const credentials of [{}, { account: undefined, apiKey: undefined, token: "test-token" }]) {
      const { client } = countingClient(credentials);
      const messages = await client.sendNki(42, valid);
      expect(validateSendNkiToUsersResponse200(messages)).toBe(true);
      expect(messages.length).toBeGreaterThan(0);
      expect(messages[0]).toHaveProperty("Status");
    }
  });

  it("gives Ip1AuthenticationError (an Ip1ApiError) for a request without Authorization", async () => {
    const { client } = countingClient();
    const error = (await client
      .sendNki(42, valid, { headers: { Authorization: null } })
      .catch((caught: unknown) => caught)) as Ip1AuthenticationError;
    expect(error).toBeInstanceOf(Ip1AuthenticationError);
    expect(error).toBeInstanceOf(Ip1ApiError);
    expect(error.status).toBe(401);
    expect(error.outcome).toBe("not-sent");
  });

  it("gives Ip1NoCreditsError with the server's message for Prefer: code=403", async () => {
    const { client } = countingClient();
    const error = (await client
      .sendNki(42, valid, { headers: { Prefer: "code=403" } })
      .catch((caught: unknown) => caught)) as Ip1NoCreditsError;
    expect(error).toBeInstanceOf(Ip1NoCreditsError);
    expect(error.status).toBe(403);
    expect(error.message).toBe("IP1 answered 403: No credits left on the account.");
  });

  it("stops an invalid body in the client: no request reaches Prism", async () => {
    const { client, requests } = countingClient();
    const invalid = { ...valid, Users: [{ FirstName: "Anna", Phone: "+4670123456789012345" }] };
    await expect(client.sendNki(42, invalid)).rejects.toThrow(Ip1ValidationError);
    expect(requests()).toBe(0);
  });

  it("sends 2,500 recipients as three chunks", async () => {
    const { client, requests } = countingClient();
    const Users = Array.from({ length: 2500 }, (_, i) => ({
      FirstName: `User${i}`,
      Phone: `+4670${String(i).padStart(7, "0")}`,
    }));
    const result = await client.sendNkiBulk(42, { ...valid, Users });
    expect(result.chunks.map((chunk) => chunk.outcome)).toEqual(["sent", "sent", "sent"]);
    expect(requests()).toBe(3);
    for (const chunk of result.chunks) expect(validateSendNkiToUsersResponse200(chunk.messages)).toBe(true);
  });
});
