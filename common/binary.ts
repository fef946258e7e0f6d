// The binary container of the artifact's index file: numbered sections, each 8-byte aligned, and varint coding.

/** "FSX1" little-endian: the first four bytes of every fundstelle binary index. */
export const BINARY_MAGIC = 0x31585346;

/** Header: magic, format version, section count; then an (offset, length) pair per section. */
const HEADER_WORDS = 3;

function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * Packs sections into one buffer: a header of 32-bit words (magic, `version`, count, then offset and
 * length of each section), then the sections, each starting at a multiple of 8 so that typed arrays
 * can view them in place.
 */
export function packSections(version: number, sections: readonly Uint8Array[]): Uint8Array {
  let offset = align8((HEADER_WORDS + 2 * sections.length) * 4);
  const places: [number, number][] = [];
  for (const section of sections) {
    places.push([offset, section.byteLength]);
    offset = align8(offset + section.byteLength);
  }
  const out = new Uint8Array(offset);
  const header = new DataView(out.buffer);
  header.setUint32(0, BINARY_MAGIC, true);
  header.setUint32(4, version, true);
  header.setUint32(8, sections.length, true);
  sections.forEach((section, i) => {
    const [at, length] = places[i] as [number, number];
    header.setUint32((HEADER_WORDS + 2 * i) * 4, at, true);
    header.setUint32((HEADER_WORDS + 2 * i + 1) * 4, length, true);
    out.set(section, at);
  });
  return out;
}

/** Why a binary index could not be read. */
export class BinaryFormatError extends Error {
  override readonly name = "BinaryFormatError";
}

/**
 * Splits a buffer written by {@link packSections} into its sections (views, not copies). Throws
 * BinaryFormatError when the magic, version or section table do not fit the buffer.
 */
export function unpackSections(data: ArrayBuffer | Uint8Array, version: number, count: number): Uint8Array[] {
  let bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  // Typed-array views of the sections need the buffer itself 8-byte aligned (Node's pooled Buffers are not).
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  if (bytes.byteLength < (HEADER_WORDS + 2 * count) * 4) throw new BinaryFormatError("the index file is too short");
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (header.getUint32(0, true) !== BINARY_MAGIC) throw new BinaryFormatError("the index file is not a fundstelle binary index");
  if (header.getUint32(4, true) !== version)
    throw new BinaryFormatError(`binary index version ${header.getUint32(4, true)}, expected ${version}`);
  if (header.getUint32(8, true) !== count)
    throw new BinaryFormatError(`the index has ${header.getUint32(8, true)} sections, expected ${count}`);
  const sections: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const at = header.getUint32((HEADER_WORDS + 2 * i) * 4, true);
    const length = header.getUint32((HEADER_WORDS + 2 * i + 1) * 4, true);
    if (at % 8 !== 0 || at + length > bytes.byteLength) throw new BinaryFormatError(`section ${i} lies outside the index file`);
    sections.push(bytes.subarray(at, at + length));
  }
  return sections;
}

/** A growable byte buffer with unsigned LEB128 varints. */
export class ByteWriter {
  private bytes = new Uint8Array(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** Appends a non-negative integer below 2^53 as a varint (7 bits per byte, low bits first). */
  varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
    this.reserve(8);
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }

  /** Appends bytes as they are. */
  raw(data: Uint8Array): void {
    this.reserve(data.byteLength);
    this.bytes.set(data, this.length);
    this.length += data.byteLength;
  }

  /** The bytes written so far (a copy). */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Reads unsigned LEB128 varints, as {@link ByteWriter.varint} writes them, from a byte position on. */
export class VarintReader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos = 0,
  ) {}

  next(): number {
    let byte = this.bytes[this.pos++] as number;
    if (byte < 0x80) return byte;
    let value = byte & 0x7f;
    let shift = 7;
    do {
      byte = this.bytes[this.pos++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte >= 0x80);
    return value;
  }
}

/** Views of typed arrays' bytes, for sections. */
export function bytesOf(array: Uint16Array | Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Byte chunks one after another in one array (a body read in pieces). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
