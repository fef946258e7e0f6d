// One-off importer: turns XQuAD-de (SQuAD JSON) into corpus/wikipedia/xquad-de.jsonl, one document per article,
// and bench/data/xquad-de-questions.jsonl, each question with the id of the paragraph that answers it.
// Usage: npx tsx scripts/import-xquad.ts path/to/xquad.de.json
import { readFileSync, writeFileSync } from "node:fs";

interface Squad {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string }[] }[] }[] }[];
}

const [source, target = "corpus/wikipedia/xquad-de.jsonl", questionsTarget = "bench/data/xquad-de-questions.jsonl"] = process.argv.slice(2);
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

const questions = squad.data.flatMap((article) =>
  article.paragraphs.flatMap((paragraph, n) =>
    paragraph.qas.map((qa) =>
      JSON.stringify({
        id: qa.id,
        question: qa.question.normalize("NFC"),
        paragraph: `wikipedia/xquad-de/${article.title}#${n}`,
        answer: qa.answers[0]?.text.normalize("NFC") ?? "",
      }),
    ),
  ),
);
writeFileSync(questionsTarget, `${questions.join("\n")}\n`);
console.log(`wrote ${questions.length} questions to ${questionsTarget}`);
