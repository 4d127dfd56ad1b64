// Slow and silent servers: headers that arrive slowly but in time succeed; no complete answer within timeoutMs gives
// Ip1TimeoutError with outcome "unknown" (the body was sent), never retried.
import { describeFaultFamily } from "./family.js";

describeFaultFamily("timeouts");
