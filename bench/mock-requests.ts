// The send the mock benchmarks repeat: 10 distinct Swedish mobiles per request, new ones for every request, so no
// cache of earlier numbers flatters the simulator.
import type { NkiSendRequest } from "../src/types-entry.js";

export function tenRecipients(send: number): NkiSendRequest {
  const Users = Array.from({ length: 10 }, (_, i) => ({
    FirstName: `Kund ${i}`,
    Phone: `+4670${String((send * 10 + i) % 10_000_000).padStart(7, "0")}`,
  }));
  return {
    Users,
    From: "Acme",
    Message: "Tack för ditt besök! Hur nöjd är du med oss? Svara här: https://nki.example/s",
  };
}
