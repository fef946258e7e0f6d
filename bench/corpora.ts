// Corpora the benchmarks assemble from folders elsewhere on this machine.
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Corpus, readCorpus } from "../index-builder/corpus.js";

/** LibreOffice's German help as Debian installs it (apt-get install libreoffice-help-de). */
export const LIBREOFFICE = "/usr/share/libreoffice/help/de";

/** Ends the process with a message saying how to install LibreOffice's German help when it is missing. */
export function requireLibreOffice(script: string): void {
  if (existsSync(LIBREOFFICE)) return;
  console.error(
    `${script} needs LibreOffice's German help in ${LIBREOFFICE}, which is missing. Install it with\n  apt-get install libreoffice-help-de\nand run again. Nothing was installed.`,
  );
  process.exit(1);
}

/** Reads a corpus whose collections are the given folders, each under its name, without copying them; `read` is
 * the readCorpus to read it with (another checkout's, for a side-by-side benchmark), this code's by default. */
export async function readLinkedCorpus(
  collections: Record<string, string>,
  read: (dir: string, options: { allowLinksInto: string[] }) => Corpus | Promise<Corpus> = (dir, options) =>
    readCorpus(dir, undefined, options),
): Promise<Corpus> {
  const dir = mkdtempSync(join(tmpdir(), "fundstelle-bench-corpus-"));
  try {
    for (const [name, folder] of Object.entries(collections)) symlinkSync(folder, join(dir, name));
    // The links lead outside the temporary corpus on purpose: allow exactly those folders.
    return await read(dir, { allowLinksInto: Object.values(collections) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
