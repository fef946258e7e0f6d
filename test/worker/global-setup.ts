// Builds the fixture corpus into test-output/fixture-build before the workerd tests import it.
import { fileURLToPath } from "node:url";
import { writeArtifact } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";

export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  writeArtifact(buildArtifact(await readCorpus(`${root}test/fixtures/corpus`), null), `${root}test-output/fixture-build`);
}
