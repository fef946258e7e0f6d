import { readCorpus } from "/work/main/index-builder/corpus.ts";
import { buildArtifact } from "/work/main/index-builder/build.ts";
import { artifactModule } from "/work/main/index-builder/artifact-files.ts";
import { loadIndex } from "/work/main/worker/search/loaded-index.ts";
import { search } from "/work/main/worker/search/search.ts";
const corpus = await readCorpus("/work/main/test/fixtures/townhall", undefined, { cacheDir: "/work/main/node_modules/.cache/fundstelle" });
const index = loadIndex(artifactModule(buildArtifact(corpus, null, "b")));
for (const q of process.argv.slice(2)) {
  const r = search(index, { q, limit: 4, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true, group: "document" }) as any;
  console.log("##", q, r.total);
  for (const h of r.hits) console.log("  ", h.score, h.doc.id, "|", h.doc.title, "|", (h.sections ?? []).map((s: any) => `${s.anchor}:${s.heading}`).join(" ; "));
}
const d = corpus.documents.find((d) => d.id.endsWith("hundesteuersatzung"))!;
console.log(d.title, d.date, d.kind, d.url, d.sections, d.paragraphs.slice(0, 6));
