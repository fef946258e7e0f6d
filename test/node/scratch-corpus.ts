// Test helper: corpus folders made from a map of files, in one temporary folder removed after the test file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";

/** A maker of corpus folders (path under the corpus → text or bytes), each new; all removed after the file's tests. */
export function scratchCorpora(name: string): (files: Record<string, string | Uint8Array>) => string {
  const scratch = mkdtempSync(join(tmpdir(), `fundstelle-${name}-`));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let counter = 0;
  return (files) => {
    const dir = join(scratch, `case-${counter++}`);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  };
}
