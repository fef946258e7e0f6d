// A term's postings in index.bin, written (by the builder) and read (by the worker's engine) here only.
//
// Per term, unsigned LEB128 varints (common/binary.ts):
// - a header: per field (title, text, parts, headings, in FIELDS order) the count of its entries and the term's
//   frequency in that field: the paragraphs of the whole corpus with the term there, as MiniSearch counts them
//   (for a shard, more than its own entries);
// - then each field's entries in turn: title entries by document (every paragraph of a document shares its
//   title), the others by paragraph, ids ascending. An entry is `gap * 2 + (tf > 1)` followed, when tf > 1, by
//   `tf - 2`; the first gap is the id itself.
import { type ByteWriter, VarintReader } from "./binary.js";

/** One field's postings as the builder writes them: entries of (id, term frequency), ids ascending. */
export interface FieldPostings {
  entries: readonly (readonly [number, number])[];
  /** The term's frequency in the field over the whole corpus (see the layout above). */
  frequency: number;
}

/** Appends one term's postings (every field, in order) to `out`. */
export function writePostings(out: ByteWriter, fields: readonly FieldPostings[]): void {
  for (const field of fields) {
    out.varint(field.entries.length);
    out.varint(field.frequency);
  }
  for (const field of fields) {
    let previous = 0;
    for (const [id, tf] of field.entries) {
      out.varint((id - previous) * 2 + (tf > 1 ? 1 : 0));
      if (tf > 1) out.varint(tf - 2);
      previous = id;
    }
  }
}

/**
 * Reads one term's postings from its first byte: `header` first (each field's count and frequency), then
 * `nextGap` once per entry, field after field; the entry's term frequency is then in {@link tf}.
 */
export class PostingReader extends VarintReader {
  /** The term frequency of the entry {@link nextGap} read last. */
  tf = 1;

  /** Reads the header into `counts` and `frequencies` (one slot per field); returns the total of entries. */
  header(counts: Uint32Array | number[], frequencies: Uint32Array | number[] | null, fields: number): number {
    let total = 0;
    for (let field = 0; field < fields; field++) {
      const count = this.next();
      counts[field] = count;
      total += count;
      const frequency = this.next();
      if (frequencies) frequencies[field] = frequency;
    }
    return total;
  }

  /** The gap to the next entry's id (the first entry's id itself); its term frequency is then in {@link tf}. */
  nextGap(): number {
    const entry = this.next();
    this.tf = entry & 1 ? this.next() + 2 : 1;
    return entry >>> 1;
  }
}
