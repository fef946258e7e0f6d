// Makes the PDF fixtures of test/node/pdf-reader.test.ts: small German HTML documents printed to PDF with headless
// Chromium, an encrypted copy (qpdf) and broken files. The PDFs are checked in, so the tests need neither tool.
// Usage: npx tsx scripts/make-test-pdfs.ts [--large]   (needs /usr/bin/chromium and qpdf; CHROMIUM_PATH=… for another path)
// --large also prints test-output/pdf/xquad-de-long.pdf (about 40 pages of XQuAD-de paragraphs, for timing only:
// it is not checked in) from /work/shared/data/xquad-de/xquad.de.json or the path in XQUAD.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { printToPdf } from "./print-pdf.js";

const OUT = resolve("test/fixtures/pdf");
const LARGE_OUT = resolve("test-output/pdf");
const XQUAD = process.env.XQUAD ?? "/work/shared/data/xquad-de/xquad.de.json";

/** A4 pages without margins: each `.page` is one sheet, its header and footer placed inside it. */
const STYLE = `
@page { size: A4; margin: 0 }
body { margin: 0; font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.35 }
.page { position: relative; height: 296mm; overflow: hidden; box-sizing: border-box; padding: 30mm 22mm 30mm 22mm; break-after: page }
.page:last-child { break-after: auto }
.head { position: absolute; top: 10mm; left: 22mm; right: 22mm; font-size: 9pt; color: #444 }
.foot { position: absolute; bottom: 10mm; left: 22mm; right: 22mm; font-size: 9pt; text-align: center; color: #444 }
h1 { font-size: 20pt; margin: 0 0 8mm }
h2 { font-size: 14pt; margin: 6mm 0 3mm }
p { margin: 0 0 3mm; text-align: left }
`;

function html(title: string, body: string): string {
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function page(head: string, foot: string, content: string): string {
  return `<div class="page"><div class="head">${head}</div>${content}<div class="foot">${foot}</div></div>`;
}

const HEAD = "Stadt Musterhausen – Hundesteuersatzung";

/** The statute: 3 pages with § headings, a running header, "Seite N von 3" footers, hyphens at explicit line breaks, a ligature ﬁ. */
const STATUTE = html(
  "Hundesteuersatzung der Stadt Musterhausen",
  [
    page(
      HEAD,
      "Seite 1 von 3",
      `<h1>Hundesteuersatzung der Stadt Musterhausen</h1>
<p>Aufgrund der Gemeindeordnung und des Kommunalabgabengesetzes hat der Rat der Stadt Musterhausen in seiner Sitzung
vom 12. März 2024 die folgende Satzung beschlossen.</p>
<h2>§ 1 Steuergegenstand</h2>
<p>Gegenstand der Steuer ist das Halten von Hunden im Stadtgebiet. Die Steuerpflicht beginnt mit dem ersten Tag des
Kalendermonats, der auf die Aufnahme des Hundes folgt. Die Anmeldung erfolgt mit dem Antrags-<br>formular der
Stadtkasse.</p>
<p>Wer einen Hund hält, muss ihn innerhalb von zwei Wochen anmelden. Die Anmeldung ist auch online möglich.</p>`,
    ),
    page(
      HEAD,
      "Seite 2 von 3",
      `<h2>§ 2 Steuersatz</h2>
<p>Die Steuer beträgt jährlich für den ersten Hund 96 Euro, für den zweiten Hund 120 Euro und für jeden weiteren
Hund 150 Euro. Für gefährliche Hunde gilt ein gesonderter Steuersatz von 600 Euro.</p>
<p>Hunde, die für den Dienst bei der Polizei, der Kfz-<br>Zulassung oder dem Rettungsdienst gehalten werden, sind
von der Steuer befreit. Der Nachweis ist durch eine Bescheinigung des Dienstherrn zu führen.</p>
<h2>§ 3 Steuerermäßigung</h2>
<p>Die Steuer ermäßigt sich um die Hälfte für Hunde, die von Personen gehalten werden, die auf Bus-<br>und
Bahnverbindungen nicht zurückgreifen können und den Hund zur Begleitung benötigen.</p>`,
    ),
    page(
      HEAD,
      "Seite 3 von 3",
      `<h2>§ 4 Inkrafttreten</h2>
<p>Diese Satzung tritt am Tag nach ihrer öﬀentlichen Bekanntmachung in Kraft. Die Stadtkasse erteilt Auskunft über
die Häuﬁgkeit der Kontrollen und über das Verfahren.</p>
<p>Musterhausen, den 12. März 2024. Der Bürgermeister.</p>`,
    ),
  ].join(""),
);

/** A one-page form. */
const FORM = html(
  "Antrag auf Anwohnerparkausweis",
  page(
    "Stadt Musterhausen – Bürgerbüro",
    "",
    `<h1>Antrag auf Anwohnerparkausweis</h1>
<p>Bitte füllen Sie den Antrag vollständig aus und legen Sie eine Kopie der Zulassungsbescheinigung Teil I bei.</p>
<h2>Angaben zur Person</h2>
<p>Name, Vorname: ______________________________</p>
<p>Anschrift: ______________________________</p>
<h2>Angaben zum Fahrzeug</h2>
<p>Amtliches Kennzeichen: ______________</p>
<p>Die Gebühr für den Anwohnerparkausweis beträgt 30,70 Euro für ein Jahr.</p>`,
  ),
);

/** A page without any text: an inline SVG and a CSS box. */
const IMAGE_ONLY = `<!doctype html><html><head><meta charset="utf-8"><style>@page { size: A4; margin: 20mm }
.box { width: 80mm; height: 40mm; background: #4a7 }</style></head><body>
<svg width="300" height="200" xmlns="http://www.w3.org/2000/svg"><rect x="10" y="10" width="280" height="180" fill="#ccc"/>
<circle cx="150" cy="100" r="60" fill="#357"/></svg><div class="box"></div></body></html>`;

function print(dir: string, name: string, source: string, out: string): void {
  const input = join(dir, `${name}.html`);
  writeFileSync(input, source);
  printToPdf(input, out, join(dir, "profile"));
}

/** The XQuAD-de paragraphs as one long page, about 40 A4 pages. */
function longHtml(): string {
  const squad = JSON.parse(readFileSync(XQUAD, "utf8")) as { data: { title: string; paragraphs: { context: string }[] }[] };
  const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const parts: string[] = [];
  let chars = 0;
  for (const article of squad.data) {
    if (chars > 125_000) break;
    parts.push(`<h2>${escapeHtml(article.title.replace(/_/g, " "))}</h2>`);
    for (const paragraph of article.paragraphs) {
      parts.push(`<p>${escapeHtml(paragraph.context)}</p>`);
      chars += paragraph.context.length;
    }
  }
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>XQuAD-de</title><style>
@page { size: A4; margin: 20mm } body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.35 }
h2 { font-size: 14pt }</style></head><body><h1>XQuAD-de</h1>${parts.join("\n")}</body></html>`;
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), "fundstelle-pdf-"));
  try {
    const statute = join(OUT, "hundesteuersatzung.pdf");
    print(dir, "statute", STATUTE, statute);
    print(dir, "form", FORM, join(OUT, "anwohnerparkausweis.pdf"));
    const image = join(OUT, "image-only.pdf");
    print(dir, "image", IMAGE_ONLY, image);
    const text = execFileSync("pdftotext", [image, "-"], { encoding: "utf8" });
    if (text.trim() !== "") throw new Error(`image-only.pdf has text: ${JSON.stringify(text)}`);
    execFileSync("qpdf", ["--encrypt", "user", "owner", "256", "--", statute, join(OUT, "encrypted.pdf")]);
    // An owner password only (restrictions, no password to open): readers open it.
    execFileSync("qpdf", ["--encrypt", "", "owner", "256", "--", statute, join(OUT, "owner-password-only.pdf")]);
    const bytes = readFileSync(statute);
    writeFileSync(join(OUT, "truncated.pdf"), bytes.subarray(0, Math.floor(bytes.length / 2)));
    writeFileSync(join(OUT, "not-a-pdf.pdf"), "Dies ist eine Textdatei, die nur .pdf heißt.\nZweite Zeile.\n");
    if (process.argv.includes("--large")) {
      mkdirSync(LARGE_OUT, { recursive: true });
      print(dir, "long", longHtml(), join(LARGE_OUT, "xquad-de-long.pdf"));
      console.log(`wrote ${join(LARGE_OUT, "xquad-de-long.pdf")} (${statSync(join(LARGE_OUT, "xquad-de-long.pdf")).size} bytes)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`wrote the PDF fixtures to ${OUT}`);
}

main();
