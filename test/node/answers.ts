// A fixed list of requests over the shipped corpus and the fixture corpus, and their answers: the guard that keeps
// the API's answers byte-identical through a change that should not change them (test/node/answers.test.ts).
// After an intended change of answers: `npm run answers:update`, then read the diff of test/fixtures/answers/.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { createApp } from "../../worker/app.js";
import { loadIndex } from "../../worker/search/loaded-index.js";

const ROOT = new URL("../../", import.meta.url).pathname;
export const ANSWERS_FILE = join(ROOT, "test/fixtures/answers/answers.json");

/** One request and its answer: status and body text exactly as served. */
export interface Answer {
  corpus: "default" | "fixture";
  path: string;
  status: number;
  body: string;
}

const enc = encodeURIComponent;

/** A deterministic pseudo-random sequence (the requests never change between runs). */
function sequence(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor(state / 65536) % n;
  };
}

/** The requests: searches of many kinds (questions, typing, typos, pages, filters, facets, paging), suggestions, documents, errors. */
export function answerRequests(): { corpus: Answer["corpus"]; path: string }[] {
  const questions = readFileSync(join(ROOT, "bench/data/xquad-de-questions.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { question: string }).question);
  const next = sequence(11);
  const pick = <T>(list: readonly T[]) => list[next(list.length)] as T;
  const words = [...new Set(questions.flatMap((q) => q.match(/\p{L}{4,}/gu) ?? []))];
  const typo = (word: string) => {
    const i = 1 + next(Math.max(1, word.length - 2));
    return `${word.slice(0, i)}${word[i + 1] ?? ""}${word[i] ?? ""}${word.slice(i + 2)}`;
  };
  const paths: string[] = [];
  for (let i = 0; i < 50; i++) paths.push(`/search?q=${enc(questions[i * 23] ?? "")}&limit=3`);
  for (let i = 0; i < 30; i++) {
    const word = pick(words);
    paths.push(`/search?q=${enc(`${pick(words)} ${word.slice(0, 2 + next(word.length - 1))}`)}&limit=3`);
  }
  for (let i = 0; i < 25; i++) paths.push(`/search?q=${enc(`${pick(words)} ${pick(words)}`)}&group=document&limit=3`);
  for (let i = 0; i < 20; i++) paths.push(`/search?q=${enc(typo(pick(words)))}&limit=3`);
  for (let i = 0; i < 10; i++) paths.push(`/search?q=${enc(typo(pick(words)))}&group=document&limit=2&facets=collection,kind,year`);
  paths.push(
    "/search?q=Kasachstan%20Handel",
    "/search?q=kasachstan&group=document",
    "/search?q=Deutschland&collection=wikipedia&limit=3",
    "/search?q=Deutschland&kind=Artikel&facets=collection,kind,year",
    "/search?q=Deutschland&from=2024-01-01&to=2024-12-31&limit=2",
    "/search?q=Deutschland&sort=date&limit=3",
    "/search?q=Deutschland&offset=7&limit=4",
    "/search?q=Deutschland%20-Kasachstan&limit=3",
    "/search?q=%22bilaterale%20Beziehungen%22",
    "/search?q=Panthers&doc=wikipedia%2Fxquad-de%2FSuper_Bowl_50&limit=2",
    "/search?q=Universitaet&fuzzy=0",
    "/search?q=Kasachtan%20Handl&fuzzy=2",
    "/search?q=Bundes&prefix=false",
    "/search?q=der%20die%20das",
    "/search?q=",
    "/search?q=zzzzqqq",
    "/search?q=Kasachstan&limit=0",
    "/search?q=Kasachstan&facets=colour",
    `/search?q=${"x".repeat(300)}`,
    "/search?q=a&q=b",
  );
  for (let i = 0; i < 20; i++) {
    const word = pick(words);
    paths.push(`/suggest?q=${enc(`${i % 2 ? `${pick(words)} ` : ""}${word.slice(0, 2 + next(word.length - 2))}`)}`);
  }
  paths.push(
    "/documents/auswaertiges-amt%2Fdeutschland-kasachstan",
    "/documents/wikipedia%2Fxquad-de%2FRhine",
    "/documents/nope",
    "/collections",
    "/health",
    "/nowhere",
  );
  const fixture = [
    "/search?q=Kasachstan",
    "/search?q=Anleitung&group=document",
    "/search?q=Seite",
    "/search?q=Meldung&facets=collection,kind,year",
    "/suggest?q=Ka",
    "/collections",
    "/documents/docs%2Fanleitung",
    "/documents/help%2Fseite",
  ];
  const fixtureWords = [
    "Konto",
    "Ranking",
    "Hilfe",
    "Installation",
    "Handel",
    "Schritt",
    "Einstellungen",
    "Datei",
    "Nachricht",
    "Meldungen",
  ];
  for (const word of fixtureWords) {
    fixture.push(
      `/search?q=${enc(word)}&limit=3`,
      `/search?q=${enc(word.slice(0, 3))}&group=document&limit=3`,
      `/search?q=${enc(typo(word))}`,
    );
  }
  return [...paths.map((path) => ({ corpus: "default" as const, path })), ...fixture.map((path) => ({ corpus: "fixture" as const, path }))];
}

/** The answers of {@link answerRequests}, from indexes built here of corpus/ and test/fixtures/corpus. */
export async function currentAnswers(): Promise<Answer[]> {
  const apps = {
    default: createApp(() => defaultIndex),
    fixture: createApp(() => fixtureIndex),
  };
  const defaultIndex = loadIndex(artifactModule(buildArtifact(await readCorpus(join(ROOT, "corpus")), null, "answers")));
  const fixtureIndex = loadIndex(artifactModule(buildArtifact(await readCorpus(join(ROOT, "test/fixtures/corpus")), null, "answers")));
  const answers: Answer[] = [];
  for (const { corpus, path } of answerRequests()) {
    const response = await apps[corpus].request(path);
    answers.push({ corpus, path, status: response.status, body: await response.text() });
  }
  return answers;
}
