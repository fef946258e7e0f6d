// A town hall's TYPO3 export as it is (test/fixtures/townhall: 36 pages, 6 PDFs, robots.txt, a redirect stub, noindex
// pages): each point a new user hit with it, built and searched as the builder and the worker do.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { runBuildCommand } from "../../index-builder/command.js";
import { type Corpus, readCorpus } from "../../index-builder/corpus.js";
import { stripSiteNames } from "../../index-builder/titles.js";
import { createApp } from "../../worker/app.js";
import { documentOf } from "../../worker/backend.js";
import { type LoadedIndex, loadIndex } from "../../worker/search/loaded-index.js";
import { type SearchRequest, search } from "../../worker/search/search.js";
import type { SearchResponse } from "../../worker/search/search-types.js";

const ROOT = resolve(import.meta.dirname, "../..");
const TOWNHALL = join(ROOT, "test/fixtures/townhall");
const scratch = mkdtempSync(join(tmpdir(), "fundstelle-cms-export-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const pages = (q: string): SearchRequest => ({
  q,
  limit: 10,
  offset: 0,
  sort: "relevance",
  fuzzy: "auto",
  prefix: true,
  group: "document",
});

/** The build command in this process, in a project folder whose package.json has this fundstelle section. */
async function buildIn(project: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runBuildCommand(args, { cwd: project, env: {}, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { status, out: out.join("\n"), err: err.join("\n") };
}

function projectWith(name: string, fundstelle: unknown): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, fundstelle }));
  return dir;
}

let corpus: Corpus;
let index: LoadedIndex;
beforeAll(async () => {
  corpus = await readCorpus(TOWNHALL, undefined, { cacheDir: join(scratch, "cache") });
  index = loadIndex(artifactModule(buildArtifact(corpus, null, "test")));
});

const doc = (id: string) => {
  const found = corpus.documents.find((d) => d.id === `musterhausen/${id}`);
  if (!found) throw new Error(`no document ${id}`);
  return found;
};

describe("a TYPO3 export with its PDFs, as exported", () => {
  it("1. keeps the headings TYPO3 writes as <header><h2> inside its content elements as sections, anchored at the element", () => {
    const jobs = doc("rathaus/stellenangebote");
    expect(jobs.sections.map((s) => [s.heading, s.anchor])).toContainEqual(["Ausbildung bei der Stadt", "c165"]);
    const [top] = search(index, pages("Ausbildung")).hits;
    const jobsHit = search(index, pages("Ausbildung")).hits.find((hit) => hit.doc.id === "musterhausen/rathaus/stellenangebote");
    expect(top).toBeDefined();
    expect(jobsHit?.sections?.[0]?.anchor).toBe("c165");
    // Both the page of the div-based template and of the <main> one.
    expect(doc("buergerservice/personalausweis").sections.map((s) => s.heading)).toContain("Gebühren");
  });

  it("2. reads its PDFs as pages, one section per PDF page, linking to file.pdf#page=N", () => {
    const statute = doc("fileadmin/dokumente/hundesteuersatzung");
    expect(statute).toMatchObject({ kind: "PDF", url: "https://www.musterhausen.de/fileadmin/dokumente/hundesteuersatzung.pdf" });
    expect(statute.sections.map((s) => s.anchor)).toEqual(["page=1", "page=2", "page=3"]);
    const [hit] = search(index, pages("Steuersatz zweiter Hund")).hits;
    expect(hit?.doc.id).toBe("musterhausen/fileadmin/dokumente/hundesteuersatzung");
    expect(hit?.sections?.[0]?.url).toBe("https://www.musterhausen.de/fileadmin/dokumente/hundesteuersatzung.pdf#page=2");
    expect(corpus.documents.filter((d) => d.kind === "PDF")).toHaveLength(6);
    // The collection links to the site its baseUrl names (collection.json has no url of its own).
    expect(corpus.collections[0]?.url).toBe("https://www.musterhausen.de/");
    expect(corpus.ignored.filter((path) => path.endsWith(".pdf"))).toEqual([]);
  });

  it("3. never reads robots.txt, humans.txt or the sitemap as pages, and names them", () => {
    expect(corpus.documents.map((d) => d.id)).not.toContain("musterhausen/robots");
    expect(corpus.notices).toContainEqual({
      file: "musterhausen/robots.txt",
      kind: "crawlerFile",
      reason: "is a file for crawlers, not a page; skipped",
    });
    expect(corpus.notices.map((n) => n.file)).toEqual(expect.arrayContaining(["musterhausen/humans.txt", "musterhausen/sitemap.xml"]));
  });

  it("4. skips the redirect stub with a notice, so that a --strict build (as npm run deploy runs it) passes; excludes skip files", async () => {
    expect(corpus.notices).toContainEqual({
      file: "musterhausen/alte-seite.html",
      line: 4,
      kind: "redirect",
      reason: "is a redirect to /buergerservice/personalausweis.html; skipped",
    });
    expect(corpus.warnings).toEqual([]);
    const project = projectWith("strict", { corpus: TOWNHALL, exclude: ["**/aktuelles/**"] });
    const result = await buildIn(project, ["--strict", "--verbose", "--out", "out"]);
    expect(result.err).toBe("");
    expect(result.status).toBe(0);
    expect(result.out).toContain(
      'skipped: musterhausen/aktuelles/index.html: is excluded by "**/aktuelles/**" (package.json\'s fundstelle.exclude)',
    );
    expect(result.out).toContain("skipped: musterhausen/alte-seite.html:4: is a redirect to /buergerservice/personalausweis.html; skipped");
    const skipped = readFileSync(join(project, "out/skipped.txt"), "utf8");
    expect(skipped).toContain("skipped: musterhausen/impressum.html:19: asks not to be indexed");
    expect(skipped).toContain(
      "skipped: musterhausen/fileadmin/images/logo.png: is not a document format that fundstelle reads (.png); ignored",
    );
  });

  it("5. leaves out pages that say noindex: the Impressum does not answer Umsatzsteuer", () => {
    expect(corpus.documents.map((d) => d.id)).not.toContain("musterhausen/impressum");
    const ids = search(index, pages("Umsatzsteuer")).hits.map((hit) => hit.doc.id);
    expect(ids).not.toContain("musterhausen/impressum");
  });

  it("6. titles say what the page is (no site name), and soft hyphens never reach titles, headings or text", () => {
    expect(corpus.documents.filter((d) => d.title.includes("Stadt Musterhausen") && !d.id.includes("fileadmin"))).toEqual([]);
    expect(doc("buergerservice/personalausweis").title).toBe("Personalausweis");
    const all = corpus.documents.flatMap((d) => [d.title, ...d.sections.map((s) => s.heading), ...d.paragraphs]).join("\n");
    expect(all).not.toMatch(/[\u00AD\u200B]/);
    expect(
      doc("buergerservice/anwohnerparken")
        .sections.map((s) => s.heading)
        .join(" "),
    ).toContain("Anwohnerparkausweis");
    expect(search(index, pages("Anwohnerparkausweis")).hits[0]?.doc.id).toBe("musterhausen/buergerservice/anwohnerparken");
  });

  it("6. a query with a soft hyphen copied from a page finds the word, as the API reads it", async () => {
    const app = createApp(() => index);
    const answer = (await (await app.request("/search?q=Personal%C2%ADausweis&group=document")).json()) as SearchResponse;
    expect(answer.query).toBe("Personalausweis");
    expect(answer.hits[0]?.doc.id).toBe("musterhausen/buergerservice/personalausweis");
  });

  it("7. indexes files at the corpus root into the default collection the project names", async () => {
    const site = join(scratch, "export");
    cpSync(join(TOWNHALL, "musterhausen"), site, { recursive: true });
    const project = projectWith("root", { corpus: site, defaultCollection: "stadt" });
    const result = await buildIn(project, ["--out", "out"]);
    expect(result.status, result.err).toBe(0);
    const built = loadIndex(artifactModule(buildArtifact(await readCorpus(site, undefined, { defaultCollection: "stadt" }), null, "t")));
    expect(documentOf(built, "index")).toMatchObject({ id: "index", collection: "stadt", url: "https://www.musterhausen.de/" });
    // The export's folders stay collections of their own, as under any corpus folder.
    expect(built.store.collections.map((c) => c.id)).toEqual(expect.arrayContaining(["rathaus", "stadt"]));
    // Without the setting, the root's pages are named as skipped, with the setting to add.
    const without = await buildIn(projectWith("root-without", { corpus: site }), ["--out", "out"]);
    expect(without.err).toContain(
      'index.html: is not in a collection folder; skipped (move it to corpus/<collection>/, or name a collection for the top\'s files: "defaultCollection"',
    );
  });
});

describe("office files and broken PDFs in a collection", () => {
  it("reads .docx and .odt as pages with their headings, and skips a broken file with a warning naming it and why", async () => {
    const site = join(scratch, "office-site");
    mkdirSync(join(site, "amt"), { recursive: true });
    writeFileSync(join(site, "amt/collection.json"), JSON.stringify({ baseUrl: "https://www.example.de/" }));
    cpSync(join(ROOT, "test/fixtures/office/merkblatt-anwohnerparken.docx"), join(site, "amt/merkblatt.docx"));
    cpSync(join(ROOT, "test/fixtures/office/ausschreibung-erzieherin.odt"), join(site, "amt/stelle.odt"));
    cpSync(join(ROOT, "test/fixtures/pdf/encrypted.pdf"), join(site, "amt/geschuetzt.pdf"));
    const read = await readCorpus(site);
    expect(read.documents.map((d) => [d.id, d.kind, d.url])).toEqual([
      ["amt/merkblatt", "DOCX", "https://www.example.de/merkblatt.docx"],
      ["amt/stelle", "ODT", "https://www.example.de/stelle.odt"],
    ]);
    expect(read.documents[0]?.sections.map((s) => s.heading)).toEqual(expect.arrayContaining(["Voraussetzungen", "Gebühren"]));
    expect(read.warnings).toEqual([{ file: "amt/geschuetzt.pdf", problem: "is encrypted (password-protected); skipped" }]);
    // --strict stops on it and keeps the last good build; an exclude pattern records the decision to leave it out.
    const project = projectWith("office", { corpus: site });
    expect((await buildIn(project, ["--out", "out"])).status).toBe(0);
    const strict = await buildIn(project, ["--out", "out", "--strict"]);
    expect(strict.status).toBe(1);
    expect(strict.err).toContain("amt/geschuetzt.pdf: is encrypted (password-protected); skipped");
    const excluded = await buildIn(projectWith("office-excluded", { corpus: site, exclude: ["geschuetzt.pdf"] }), [
      "--out",
      "out",
      "--strict",
    ]);
    expect(excluded.status, excluded.err).toBe(0);
  });
});

describe("a site's name in its pages' titles, across a collection", () => {
  const page = (title: string) => ({
    id: `s/${title}`,
    title,
    url: null,
    date: null,
    kind: null,
    collection: "s",
    paragraphs: ["x"],
    blockKinds: ["text" as const],
    sections: [{ heading: "", level: 0, anchor: null, first: 0 }],
    file: "s/x.html",
    titleOfPage: { title, h1: "" },
  });

  it("is stripped when it recurs before or after a separator on 3 pages and a fifth of them, or when collection.json names it", () => {
    const docs = ["Stadt Musterhausen – Bürgerbüro", "Stadt Musterhausen – Standesamt", "Stadt Musterhausen – Kita", "Kontakt"].map(page);
    stripSiteNames(docs, []);
    expect(docs.map((d) => d.title)).toEqual(["Bürgerbüro", "Standesamt", "Kita", "Kontakt"]);
    const named = ["Bürgerbüro | Musterhausen", "Wahlen"].map(page);
    stripSiteNames(named, ["Musterhausen"]);
    expect(named.map((d) => d.title)).toEqual(["Bürgerbüro", "Wahlen"]);
  });

  it("stays on a page whose <h1> is not what is left: a title and its subtitle (Deutschland und Kasachstan: bilaterale Beziehungen)", () => {
    const countries = ["Kasachstan", "Usbekistan", "Kirgisistan"].map((land) => ({
      ...page(`Deutschland und ${land}: bilaterale Beziehungen`),
      titleOfPage: { title: `Deutschland und ${land}: bilaterale Beziehungen`, h1: `Beziehungen zu ${land}` },
    }));
    stripSiteNames([...countries, page("Reisewarnungen"), page("Visa")], []);
    expect(countries.map((d) => d.title)).toEqual([
      "Deutschland und Kasachstan: bilaterale Beziehungen",
      "Deutschland und Usbekistan: bilaterale Beziehungen",
      "Deutschland und Kirgisistan: bilaterale Beziehungen",
    ]);
  });

  it("stays when it is a page's context rather than a site's name (LibreOffice's PDF-Export – …, a few of many pages)", () => {
    const docs = [
      ...["Verknüpfungen", "Sicherheit", "Allgemein"].map((name) => page(`PDF-Export – ${name}`)),
      ...Array.from({ length: 20 }, (_, i) => page(`Seite ${i}`)),
    ];
    stripSiteNames(docs, []);
    expect(docs[0]?.title).toBe("PDF-Export – Verknüpfungen");
  });
});
