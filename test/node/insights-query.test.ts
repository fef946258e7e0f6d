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
    ["+49 170 123", "#"],
    ["DE89 3704 0044 0532 0130 00", "#"],
    // What identifies a person, each a "#": e-mail addresses, phone numbers, dates with a day, IBANs, long numbers.
    ["max.mustermann@web.de", "#"],
    ["Kontakt max.mustermann@web.de bitte", "kontakt # bitte"],
    ["geboren 12. März 1985", "geboren #"],
    ["geboren am 3.10.1990 in Köln", "geboren # köln"],
    ["Termin 2025-03-12", "termin #"],
    ["Tel 030 1234", "tel #"],
    ["1234 5678", "#"],
    ["IBAN DE02120300000000202051", "iban #"],
    ["Kundennummer 123456", "kundennummer #"],
    ["Sperrmüll 3. Oktober", "sperrmüll #"],
    ["Bebauungsplan 12", "bebauungsplan 12"],
    ["Hausnummer 12 Mai", "hausnummer 12 mai"],
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
