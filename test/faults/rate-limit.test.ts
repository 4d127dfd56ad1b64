// 429s: retried exactly maxRetries times (the request was refused, so nothing can be sent twice), honouring
// Retry-After as seconds or as an HTTP date, capped by maxRetryDelayMs; then Ip1RateLimitError, outcome "not-sent".
import { describeFaultFamily } from "./family.js";

describeFaultFamily("rate-limit");
