// The extraction cache of PDFs and office files: a rebuild takes an unchanged file from it, a changed or damaged
// entry is extracted again, and a problem that depends on the machine (a timeout) is never kept.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BINARY_READERS, emptyExtractionStats, extractCached } from "../../index-builder/extract.js";
import { DEFAULT_BINARY_LIMITS, type Extraction } from "../../index-builder/readers/binary.js";

const ROOT = resolve(import.meta.dirname, "../..");
const cache = mkdtempSync(join(tmpdir(), "fundstelle-extract-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

const pdf = BINARY_READERS.get(".pdf");
if (!pdf) throw new Error("no PDF reader");
const statute = new Uint8Array(readFileSync(join(ROOT, "test/fixtures/pdf/hundesteuersatzung.pdf")));
const entries = () => readdirSync(join(cache, "extract"));

describe("the extraction cache", () => {
  it("extracts a file once, then takes it from the cache with the same result; a damaged entry is extracted again", async () => {
    const first = emptyExtractionStats();
    const extracted = await extractCached(pdf.load, statute, DEFAULT_BINARY_LIMITS, cache, first);
    expect(first).toMatchObject({ files: 1, pages: 3, cached: 0 });
    const second = emptyExtractionStats();
    expect(await extractCached(pdf.load, statute, DEFAULT_BINARY_LIMITS, cache, second)).toEqual(extracted);
    expect(second).toMatchObject({ files: 0, cached: 1 });
    // Other limits are another extraction (a file over one limit is a problem under it).
    await extractCached(pdf.load, statute, { ...DEFAULT_BINARY_LIMITS, maxPages: 2 }, cache, second);
    expect(second).toMatchObject({ files: 1, cached: 1 });
    expect(entries()).toHaveLength(2);
    for (const entry of entries()) writeFileSync(join(cache, "extract", entry), "{}");
    const third = emptyExtractionStats();
    expect(await extractCached(pdf.load, statute, DEFAULT_BINARY_LIMITS, cache, third)).toEqual(extracted);
    expect(third).toMatchObject({ files: 1, cached: 0 });
  });

  it("never keeps a problem that depends on the machine's load (a timeout)", async () => {
    const timedOut: Extraction = { problem: "took more than 30 s to read (a damaged or hostile PDF?); skipped", transient: true };
    const stats = emptyExtractionStats();
    const bytes = new Uint8Array([1, 2, 3]);
    for (let i = 0; i < 2; i++) await extractCached(async () => async () => timedOut, bytes, DEFAULT_BINARY_LIMITS, cache, stats);
    expect(stats).toMatchObject({ files: 2, cached: 0 });
  });
});
