// The happy path: what sendNki puts on the wire, what it resolves to, and the raw client for other operations.
import { describe, expect, it } from "vitest";
import { body, echoRecipients, json, scriptedFetch, sms, testClient } from "./support.js";

describe("sendNki", () => {
  it("POSTs the body as JSON to /api/nkis/{nki}/users/send and resolves to the records", async () => {
    const records = [sms("+46701", 0), sms("+46702", 22)];
    const { fetch, requests } = scriptedFetch(json(200, records));
    const client = testClient(fetch, { baseUrl: "https://api.test/" });

    const result = await client.sendNki(42, body());

    expect(result).toEqual(records);
    expect(requests).toHaveLength(1);
    const [{ request, body: sent }] = requests as [(typeof requests)[number]];
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://api.test/api/nkis/42/users/send");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("accept")).toBe("application/json");
    expect(JSON.parse(sent)).toEqual(body());
  });

  it("sends extra fields of the body through unchanged (Email)", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    await testClient(fetch).sendNki(7, { ...body(), Email: true });
    expect(JSON.parse(requests[0]?.body ?? "")).toMatchObject({ Email: true });
  });

  it("returns failed recipients of a 200 as records, never hiding them", async () => {
    const { fetch } = scriptedFetch(echoRecipients(52));
    const result = await testClient(fetch).sendNki(1, body());
    expect(result.map((message) => message.Status)).toEqual([52, 52]);
  });
});

describe("raw", () => {
  it("is an openapi-fetch client with the client's base URL and credentials", async () => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    const client = testClient(fetch);

    const { data, response } = await client.raw.POST("/api/nkis/{nki}/users/send", {
      params: { path: { nki: 5 } },
      body: body(),
    });

    expect(response.status).toBe(200);
    expect(data).toEqual([]);
    expect(requests[0]?.request.url).toBe("https://api.test/api/nkis/5/users/send");
    expect(requests[0]?.request.headers.get("authorization")).toMatch(/^Basic /);
  });
});
