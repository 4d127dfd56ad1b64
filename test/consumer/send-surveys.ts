// Consumer code, written the way a user of ip1-nki writes it: map their own customer records to the generated
// request types and send them with openapi-fetch over the generated `paths`. It is only compiled (by the project
// typecheck, and against mutated specs by test/api-diff/spec-mutations.test.ts), never run: when the API changes,
// this is the code that must tell its author at compile time.
import type { NkiSendRequest, NkiUser, paths } from "ip1-nki/types";
import createClient from "openapi-fetch";

/** A row from the user's own CRM, in their own naming. */
export interface Customer {
  firstName: string;
  lastName?: string;
  mobile: string;
  email?: string;
  customerNumber: string;
}

export function toNkiUser(customer: Customer): NkiUser {
  const user: NkiUser = { FirstName: customer.firstName, Phone: customer.mobile, Extra: customer.customerNumber };
  if (customer.lastName !== undefined) user.LastName = customer.lastName;
  if (customer.email !== undefined) user.Email = customer.email;
  return user;
}

export function surveyRequest(customers: Customer[], from: string): NkiSendRequest {
  return {
    Users: customers.map(toNkiUser),
    From: from,
    Message: "Tack för ditt besök! Hur nöjd är du med oss?",
    Email: false,
  };
}

type SendOperation = paths["/api/nkis/{nki}/users/send"]["post"];

/** The JSON body of a 200 answer, as the user's code keeps it. */
export type SendResult = SendOperation["responses"][200]["content"]["application/json"];

export async function sendSurvey(baseUrl: string, apiKey: string, nki: number, body: NkiSendRequest) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
  const { data, error } = await client.POST("/api/nkis/{nki}/users/send", { params: { path: { nki } }, body });
  if (error !== undefined) throw new Error(`IP1 refused the survey: ${error.Message}`);
  const records: SendResult = data;
  return records;
}
