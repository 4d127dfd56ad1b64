// Raw HTTP to the shared Prism mock: one request, its status, media type, parsed body and reported violations.
import { expandPath, type RequestCase } from "./request-cases.js";

/** One entry of Prism's `sl-violations` header. */
export interface Violation {
  location: string[];
  code: string | number;
  message: string;
}

export interface PrismAnswer {
  status: number;
  /** The media type without parameters, lower-cased ("application/json"). */
  mediaType: string | undefined;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
  violations: Violation[];
}

export async function sendToPrism(
  prismUrl: string,
  pathTemplate: string,
  request: Pick<RequestCase, "params" | "body">,
  headers: Record<string, string | undefined>,
): Promise<PrismAnswer> {
  const sent: Record<string, string> = { "content-type": "application/json" };
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) sent[name] = value;
  const response = await fetch(`${prismUrl}${expandPath(pathTemplate, request.params)}`, {
    method: "POST",
    headers: sent,
    body: JSON.stringify(request.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text, so the failing assertion shows it.
  }
  const violations = response.headers.get("sl-violations");
  return {
    status: response.status,
    mediaType: response.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase(),
    body,
    violations: violations ? (JSON.parse(violations) as Violation[]) : [],
  };
}
