// The "ip1-nki/mock" entry: a simulator of IP1's NKI send and sent log for contract-testing code that uses the client. It does
// not import msw (an optional peer): its MSW handlers are the separate "ip1-nki/mock/msw" entry.
export type { Ip1MockDeliveryPlan } from "./delivery-plan.js";
export {
  Ip1MockLedger,
  Ip1MockTextedTwiceError,
  type RepeatedPhone,
  type SentSms,
} from "./ledger.js";
export { DEFAULT_PRICES, type Ip1MockPriceList } from "./pricing.js";
export { type Ip1MockScenario, SCENARIO_HEADER, scenarioHeaders } from "./scenario.js";
export type { Ip1MockSentLog } from "./sent-log.js";
export { type Ip1MockServer, type Ip1MockServerOptions, startIp1MockServer } from "./server.js";
export {
  createIp1Mock,
  Ip1Mock,
  type Ip1MockOptions,
  type MockAnswer,
  type MockRequest,
  UNDELIVERABLE_STATUS,
} from "./simulator.js";
