// Broken connections: a reset or close after the request went out may follow processing, so it is "unknown" and
// never retried; a refused connection certainly sent nothing, so it is retried and ends "not-sent".
import { describeFaultFamily } from "./family.js";

describeFaultFamily("connection");
