// Error answers: one factory picks the class by status; each error carries status, body, headers and the server's
// Message, and says whether the request may have been processed.
import {
  Ip1ApiError,
  Ip1AuthenticationError,
  Ip1BadRequestError,
  Ip1Error,
  Ip1NoCreditsError,
  Ip1NotFoundError,
  Ip1RateLimitError,
  Ip1ServerError,
} from "ip1-nki";
import { describe, expect, it } from "vitest";
import { body, json, rejectionOf, scriptedFetch, testClient } from "./support.js";

async function failure(response: Response) {
  const { fetch, requests } = scriptedFetch(response);
  const error = await rejectionOf<Ip1ApiError>(testClient(fetch, { maxRetries: 0 }).sendNki(1, body()));
  expect(requests).toHaveLength(1);
  return error;
}

describe("status → class", () => {
  it.each([
    [400, Ip1BadRequestError, "not-sent"],
    [401, Ip1AuthenticationError, "not-sent"],
    [403, Ip1NoCreditsError, "not-sent"],
    [404, Ip1NotFoundError, "not-sent"],
    [429, Ip1RateLimitError, "not-sent"],
    [500, Ip1ServerError, "unknown"],
    [502, Ip1ServerError, "unknown"],
    [503, Ip1ServerError, "unknown"],
  ] as const)("%i gives %o with outcome %s", async (status, ErrorClass, outcome) => {
    const error = await failure(json(status, { Message: `server says ${status}` }, { "x-request": "r-1" }));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(Ip1ApiError);
    expect(error).toBeInstanceOf(Ip1Error);
    expect(error.name).toBe(ErrorClass.name);
    expect(error.status).toBe(status);
    expect(error.outcome).toBe(outcome);
    expect(error.body).toEqual({ Message: `server says ${status}` });
    expect(error.headers.get("x-request")).toBe("r-1");
    expect(error.message).toContain(`IP1 answered ${status}: server says ${status}`);
  });

  it("gives a status without its own class the base Ip1ApiError, with an unknown outcome", async () => {
    const error = await failure(json(418, { Message: "teapot" }));
    expect(error.constructor).toBe(Ip1ApiError);
    expect(error.outcome).toBe("unknown");
  });

  it("tells the caller to check before resending when the outcome is unknown, and not otherwise", async () => {
    expect((await failure(json(500, { Message: "boom" }))).message).toMatch(
      /may have been processed: check before resending, or recipients may be texted twice/,
    );
    expect((await failure(json(403, { Message: "No credits left on the account." }))).message).toBe(
      "IP1 answered 403: No credits left on the account.",
    );
  });
});

describe("bodies that are not the expected JSON", () => {
  it("turns an HTML 502 page into Ip1ServerError with a short text excerpt", async () => {
    const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The proxy got an invalid response.</p>${"<p>padding</p>".repeat(100)}</body></html>`;
    const error = await failure(new Response(page, { status: 502, headers: { "content-type": "text/html" } }));
    expect(error).toBeInstanceOf(Ip1ServerError);
    expect(error.body).toBe(page);
    expect(error.message).toContain("IP1 answered 502: 502 Bad Gateway Bad Gateway The proxy got an invalid response.");
    expect(error.message).not.toContain("<");
    expect(error.message.length).toBeLessThan(400);
  });

  it("keeps a truncated JSON error body as text", async () => {
    const error = await failure(new Response('{"Message": "The request is inv', { status: 400 }));
    expect(error).toBeInstanceOf(Ip1BadRequestError);
    expect(error.body).toBe('{"Message": "The request is inv');
    expect(error.message).toContain('IP1 answered 400: {"Message": "The request is inv');
  });

  it("treats a truncated 200 body as an unknown outcome: IP1 may have sent the SMS", async () => {
    const error = await failure(new Response('[{"ID": 1, "Status": 0', { status: 200 }));
    expect(error.constructor).toBe(Ip1ApiError);
    expect(error.status).toBe(200);
    expect(error.outcome).toBe("unknown");
    expect(error.message).toContain('IP1 answered 200 with a body that is not a list of messages: [{"ID": 1');
  });

  it("treats a 200 whose JSON is not a list as an unknown outcome", async () => {
    const error = await failure(json(200, { ok: true }));
    expect(error.outcome).toBe("unknown");
    expect(error.body).toEqual({ ok: true });
  });

  it("says when an error body is empty", async () => {
    const error = await failure(new Response(null, { status: 503 }));
    expect(error).toBeInstanceOf(Ip1ServerError);
    expect(error.message).toContain("IP1 answered 503: (empty body)");
  });
});

describe("toJSON", () => {
  it("gives name, message, outcome, status, body and headers as plain data", async () => {
    const error = await failure(json(401, { Message: "Authorization has been denied" }, { "x-request": "r-2" }));
    const plain = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(plain).toMatchObject({
      name: "Ip1AuthenticationError",
      message: "IP1 answered 401: Authorization has been denied",
      outcome: "not-sent",
      status: 401,
      body: { Message: "Authorization has been denied" },
      headers: { "x-request": "r-2" },
    });
  });
});
