// Without Chromium the docs test must fail and say how to install it, never skip.
import { describe, expect, it } from "vitest";
import { startChromium } from "./chromium.js";

describe("startChromium", () => {
  it("fails with the install command when Chromium is missing", async () => {
    await expect(startChromium("/nonexistent/chromium")).rejects.toThrow(
      /not installed at \/nonexistent\/chromium.*apt-get install -y chromium/,
    );
  });
});
