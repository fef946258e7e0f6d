// What insights keep of a query: its normal form (numbers that may point to a person masked), and its keyed hash.
import { describe, expect, it } from "vitest";
import { normalQuery, queryKey, sameSecret } from "../../worker/insights/query.js";

describe("a query as insights keep it", () => {
  it.each([
    ["Wie beantrage ich einen Parkausweis?", "beantrage parkausweis"],
    ["wie beantrage parkausweis", "beantrage parkausweis"],
    ["Straße -Gasse", "strasse -gasse"],
    ["Haushalt 2024", "haushalt 2024"],
    ["Antrag 4711", "antrag 4711"],
    ["Geburtsurkunde 12.03.1985", "geburtsurkunde #"],
    ["Rückruf 01701234567", "rückruf #"],
    ["+49 170 123", "# # #"],
    ["DE89 3704 0044 0532 0130 00", "# # # # # #"],
    ["der die das", ""],
  ])("keeps %j as %j", (q, normal) => {
    expect(normalQuery(q)).toBe(normal);
  });

  it("is counted under a 128-bit key that depends on the secret", async () => {
    const a = await queryKey("parkausweis", "geheim-1");
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await queryKey("parkausweis", "geheim-1")).toBe(a);
    expect(await queryKey("parkausweis", "geheim-2")).not.toBe(a);
    expect(await queryKey("parkausweise", "geheim-1")).not.toBe(a);
  });

  it("compares secrets whole", async () => {
    expect(await sameSecret("geheim", "geheim")).toBe(true);
    expect(await sameSecret("geheim", "geheimx")).toBe(false);
    expect(await sameSecret("", "geheim")).toBe(false);
  });
});
