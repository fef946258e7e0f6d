// One-off importer: turns XQuAD-de (SQuAD JSON) into corpus/wikipedia/xquad-de.jsonl, one document per article.
// Usage: npx tsx scripts/import-xquad.ts path/to/xquad.de.json [corpus/wikipedia/xquad-de.jsonl]
import { readFileSync, writeFileSync } from "node:fs";

interface Squad {
  data: { title: string; paragraphs: { context: string }[] }[];
}

const [source, target = "corpus/wikipedia/xquad-de.jsonl"] = process.argv.slice(2);
if (!source) {
  console.error("usage: npx tsx scripts/import-xquad.ts path/to/xquad.de.json [target.jsonl]");
  process.exit(2);
}
const squad = JSON.parse(readFileSync(source, "utf8")) as Squad;
const lines = squad.data.map((article) =>
  JSON.stringify({
    id: article.title,
    title: article.title.replace(/_/g, " "),
    url: `https://en.wikipedia.org/wiki/${article.title}`,
    paragraphs: article.paragraphs.map((p) => p.context.normalize("NFC")),
  }),
);
writeFileSync(target, `${lines.join("\n")}\n`);
console.log(`wrote ${lines.length} documents to ${target}`);
