// What each SMS costs in the simulator: a price per segment by destination country, in one currency.

/** Price per SMS segment by ISO 3166-1 alpha-2 country (`SE`, `NO`, …); `"*"` prices every other country. */
export type Ip1MockPriceList = Readonly<Record<string, number>>;

/** Used when the simulator is given no price list: SEK per segment, roughly IP1's list prices. */
export const DEFAULT_PRICES: Ip1MockPriceList = { SE: 0.35, NO: 0.45, DK: 0.45, FI: 0.45, "*": 0.55 };

/** The price of one segment to `country`; 0 for a number that is not a phone number (nothing is delivered). */
export function segmentPrice(prices: Ip1MockPriceList, country: string | undefined, isPhone: boolean): number {
  if (!isPhone) return 0;
  return (country === undefined ? undefined : prices[country]) ?? prices["*"] ?? 0;
}

/** Price × segments, rounded to 1/10 000 so 0.35 × 3 reads 1.05, not 1.0499999999999998. */
export const totalPrice = (price: number, segments: number) => Math.round(price * segments * 10_000) / 10_000;
