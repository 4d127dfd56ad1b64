// Consumer code that reads what a send answered, field by field, as a user's reporting code does. Compiled only
// (see send-surveys.ts for why).
import type { components, OutgoingSms } from "ip1-nki/types";

type Currency = NonNullable<OutgoingSms["Currency"]>;

/** Every currency IP1 bills in, by its ISO 4217 numeric code: a new or dropped code must show up here. */
const CURRENCY_NAMES: Record<Currency, string> = { 752: "SEK", 978: "EUR" };

/** IP1's final failure statuses (42 internal error, 51 and 52 delivery failed). */
const FAILED_STATUSES = new Set([42, 51, 52]);

export interface SendSummary {
  senders: string[];
  recipients: string[];
  failedRecipients: string[];
  segments: number;
  totalPrice: number;
  currency: string;
}

export function summarise(records: OutgoingSms[]): SendSummary {
  let segments = 0;
  let totalPrice = 0;
  for (const sms of records) {
    segments += sms.Segments ?? 0;
    totalPrice += sms.TotalPrice ?? 0;
  }
  const currency = records[0]?.Currency;
  return {
    senders: [...new Set(records.map((sms) => sms.From.trim()))],
    recipients: records.map((sms) => sms.To ?? "(invalid number)"),
    failedRecipients: records
      .filter((sms) => sms.Status !== undefined && FAILED_STATUSES.has(sms.Status))
      .map((sms) => `${sms.To}: ${sms.StatusDescription ?? `status ${sms.Status}`}`),
    segments,
    totalPrice,
    currency: currency === undefined ? "" : CURRENCY_NAMES[currency],
  };
}

export const isEuro = (sms: OutgoingSms) => sms.Currency === 978;

/** Status 11 (delayed delivery) is not among the REST codes, yet IP1's own C# sample handles it as sent. */
export const isDelayed = (sms: OutgoingSms) => sms.Status === 11;

/** CountryCode and BundleID may be null (see the spec): code that reads them says what null means. */
export const countryOf = (sms: OutgoingSms) => sms.CountryCode ?? "(invalid number)";
export const bundleOf = (sms: OutgoingSms) => sms.BundleID ?? "(sent alone)";

export const errorText = (error: components["schemas"]["ErrorMessage"]) => error.Message;
