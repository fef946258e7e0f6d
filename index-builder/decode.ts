// Reads corpus bytes as strict UTF-8, naming the line of the first invalid byte.
import { CorpusError } from "./errors.js";

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Decodes UTF-8 (a leading BOM dropped); invalid bytes throw a CorpusError with the line. */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          strict.decode(bytes.subarray(lineStart, i));
        } catch {
          throw new CorpusError(file, "is not valid UTF-8 (save it as UTF-8)", line);
        }
        line++;
        lineStart = i + 1;
      }
    }
    throw new CorpusError(file, "is not valid UTF-8 (save it as UTF-8)");
  }
}
