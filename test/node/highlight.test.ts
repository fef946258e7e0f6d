// Snippets and highlights: small pure functions with exact expected output.
import { describe, expect, it } from "vitest";
import { escapeHtml, markHtml, matchedRanges, mergeRanges, selectSnippet } from "../../worker/search/highlight.js";

const LONG =
  "Kasachstan ist Deutschlands wichtigster Wirtschaftspartner in Zentralasien. 2023 lag das bilaterale Handelsvolumen bei 8,75 Milliarden Euro (Importe nach Deutschland: 5,52 Mrd. Euro; Exporte nach Kasachstan: 3,23 Mrd. Euro). Rund 400 deutsche Unternehmen sind in Kasachstan vertreten.";

describe("escapeHtml", () => {
  it("escapes &, <, >, double and single quotes", () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  });
});

describe("matchedRanges", () => {
  it("marks exact forms and inflections that share a stem", () => {
    const text = "Die Beziehung und die Beziehungen";
    expect(matchedRanges(text, new Set(["bezieh"]))).toEqual([
      [4, 13],
      [22, 33],
    ]);
  });

  it("merges a hyphen group with its matched part", () => {
    expect(matchedRanges("das Goethe-Institut", new Set(["goetheinstitut", "institut"]))).toEqual([[4, 19]]);
  });

  it("never marks stop words, and marks nothing without terms", () => {
    expect(matchedRanges("und oder", new Set(["und"]))).toEqual([]);
    expect(matchedRanges("Kasachstan", new Set())).toEqual([]);
  });
});

describe("mergeRanges", () => {
  it("sorts and merges overlapping and touching ranges", () => {
    expect(
      mergeRanges([
        [10, 12],
        [0, 3],
        [2, 5],
        [5, 7],
      ]),
    ).toEqual([
      [0, 7],
      [10, 12],
    ]);
  });
});

describe("markHtml", () => {
  it("escapes text around and inside marks", () => {
    expect(markHtml(`a<b & "c"`, [[2, 3]])).toBe("a&lt;<mark>b</mark> &amp; &quot;c&quot;");
  });

  it("clips marks to the window", () => {
    expect(markHtml("abcdef", [[1, 4]], 2, 5)).toBe("<mark>cd</mark>e");
  });

  it("marks a match at the very start and at the very end", () => {
    expect(
      markHtml("Alpha Beta", [
        [0, 5],
        [6, 10],
      ]),
    ).toBe("<mark>Alpha</mark> <mark>Beta</mark>");
  });
});

describe("selectSnippet", () => {
  it("shows a short paragraph whole", () => {
    expect(selectSnippet("Kurz & <knapp>", [[0, 4]])).toEqual({ start: 0, end: 14, html: "<mark>Kurz</mark> &amp; &lt;knapp&gt;" });
  });

  it("starts at the beginning when the match is at the start", () => {
    const snippet = selectSnippet(LONG, [[0, 10]]);
    expect(snippet.start).toBe(0);
    expect(snippet.html.startsWith("<mark>Kasachstan</mark> ist Deutschlands")).toBe(true);
    expect(snippet.html.endsWith(" …")).toBe(true);
    expect(snippet.end - snippet.start).toBeLessThanOrEqual(200);
    expect(snippet.end - snippet.start).toBeGreaterThanOrEqual(160);
    expect(LONG[snippet.end]).toBe(" ");
  });

  it("ends at the end when the match is at the end, cut at a word boundary before", () => {
    const at = LONG.lastIndexOf("vertreten");
    const snippet = selectSnippet(LONG, [[at, at + 9]]);
    expect(snippet.end).toBe(LONG.length);
    expect(snippet.html.startsWith("… ")).toBe(true);
    expect(snippet.html.endsWith("<mark>vertreten</mark>.")).toBe(true);
    expect(LONG[snippet.start - 1]).toBe(" ");
  });

  it("chooses the window with the most distinct matched words", () => {
    const k1 = LONG.indexOf("Kasachstan", 1);
    const h = LONG.indexOf("Handelsvolumen");
    const snippet = selectSnippet(LONG, [
      [0, 10],
      [h, h + 14],
      [k1, k1 + 10],
    ]);
    expect(snippet.html).toContain("<mark>Handelsvolumen</mark>");
    expect(snippet.html).toContain("<mark>Kasachstan</mark>");
  });

  it("shows the start of the paragraph when nothing in it matched", () => {
    const snippet = selectSnippet(LONG, []);
    expect(snippet.start).toBe(0);
    expect(snippet.html).not.toContain("<mark>");
    expect(snippet.html.endsWith(" …")).toBe(true);
  });

  it("escapes markup in the paragraph and keeps marks balanced across overlapping ranges", () => {
    const text = `${"x ".repeat(60)}<script>alert("Kasachstan & Co")</script> ${"y ".repeat(60)}`;
    const at = text.indexOf("Kasachstan");
    const snippet = selectSnippet(
      text,
      mergeRanges([
        [at, at + 10],
        [at + 4, at + 10],
      ]),
    );
    expect(snippet.html).toContain("&lt;script&gt;alert(&quot;<mark>Kasachstan</mark> &amp; Co&quot;)&lt;/script&gt;");
    expect(snippet.html.match(/<mark>/g)).toHaveLength(1);
    expect(snippet.html.match(/<\/mark>/g)).toHaveLength(1);
    expect(snippet.html).not.toMatch(/<(?!\/?mark>)/);
  });
});
