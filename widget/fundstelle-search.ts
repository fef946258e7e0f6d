// <fundstelle-search>: a dependency-free search box Web Component for the fundstelle API (WAI-ARIA combobox).
import { isSafeUrl } from "../common/safe-url.js";
import { FACET_NAMES, type FacetName, type Facets } from "../worker/search/facets.js";
import type { SearchHit, SearchResponse, SearchSection } from "../worker/search/search-types.js";
import type { Suggestion, SuggestResponse } from "../worker/search/suggest.js";
import { STYLES } from "./styles.js";

/** German UI texts; each can be overridden by the attribute of the same name. */
const TEXTS = {
  label: "Suche",
  placeholder: "Suchbegriff eingeben …",
  "text-loading": "Suche läuft …",
  "text-empty": "Keine Treffer für „{q}“",
  "text-empty-filtered": "Keine Treffer für „{q}“ mit diesen Filtern",
  "text-error": "Die Suche ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.",
  "text-results": "{n} Treffer",
  "text-suggestions": "Vorschläge",
  "text-more": "Alle {n} Treffer anzeigen",
  "text-correction": "Meinten Sie: {q}?",
  "text-filters": "Filter",
  "text-facet-collection": "Sammlung",
  "text-facet-kind": "Art",
  "text-facet-year": "Jahr",
  "text-promoted": "Empfohlen",
  "text-help-links": "Vielleicht hilft Ihnen das weiter:",
  "text-popular": "Häufig gesucht",
} as const;

type TextKey = keyof typeof TEXTS;

/**
 * An option of the listbox: the corrected query to search for instead ("Meinten Sie …?"), a suggestion to search
 * for, a result to open, a section of a result's page, "Alle N Treffer anzeigen", and when nothing was found the
 * site's links (a service directory, the contact page) and its popular queries.
 */
type Option =
  | { kind: "correction"; query: string }
  | { kind: "suggestion"; suggestion: Suggestion }
  | { kind: "hit"; hit: SearchHit; href: string }
  | { kind: "section"; hit: SearchHit; section: SearchSection; href: string }
  | { kind: "more"; total: number }
  | { kind: "link"; title: string; href: string }
  | { kind: "popular"; query: string };

const DEBOUNCE_MS = 120;
const RESULTS = 8;
/** Most further results one choice of "Alle N Treffer anzeigen" loads (the API's largest page). */
const MORE = 50;
/** Keys that open the modal search unless the `shortcuts` attribute says otherwise (mod: Ctrl, or Cmd on a Mac). */
const DEFAULT_SHORTCUTS = "/ mod+k";
const SUGGESTIONS = 4;
/** How long the results wait for the suggestions asked for beside them before they show without (they follow then). */
const SUGGEST_GRACE_MS = 250;
/** With `insights`: how long the reader must pause on results before their query counts as final. */
const PAUSE_MS = 1500;
/** The facets shown as filter chips unless the `facets` attribute names others. */
const DEFAULT_FACETS = "collection kind year";
/** Most chips per facet (a chosen value is always shown). */
const CHIPS = 8;

let instances = 0;

/**
 * Puts API HTML (escaped text with <mark>) into an element. The API escapes
 * everything else; as a second line of defence, any element other than <mark>
 * is replaced by its text, and <mark> keeps no attributes.
 */
function setMarkedHtml(element: HTMLElement, html: string): void {
  const template = document.createElement("template");
  template.innerHTML = html;
  const walk = (parent: Node) => {
    for (const node of [...parent.childNodes]) {
      if (node.nodeType === Node.TEXT_NODE) continue;
      if (node instanceof HTMLElement && node.tagName === "MARK") {
        for (const attribute of [...node.attributes]) node.removeAttribute(attribute.name);
        walk(node);
      } else {
        parent.replaceChild(document.createTextNode(node.textContent ?? ""), node);
      }
    }
  };
  walk(template.content);
  element.replaceChildren(template.content);
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A file's type from its url's extension ("PDF", "DOCX", "ODT"), else from a kind "PDF"; null for a web page. */
function fileTypeOf(doc: { url: string | null; kind: string | null }): string | null {
  const extension = /\.(pdf|docx|odt)(?:[?#]|$)/i.exec(doc.url ?? "")?.[1];
  if (extension !== undefined) return extension.toUpperCase();
  return doc.kind === "PDF" ? "PDF" : null;
}

/** The page of a PDF a section stands for: its anchor `page=N` (the reader anchors each PDF page so), else null. */
function pdfPageOf(anchor: string | null | undefined): number | null {
  const page = /^page=(\d{1,6})$/.exec(anchor ?? "")?.[1];
  return page === undefined ? null : Number(page);
}

/** The badge of a file hit: "PDF · S. 3" (its best section's page), "PDF", "DOCX"; null for a web page. */
function fileBadge(hit: SearchHit): string | null {
  const type = fileTypeOf(hit.doc);
  if (type === null) return null;
  const page = pdfPageOf(hit.sections?.[0]?.anchor);
  return page === null ? type : `${type} · S. ${page}`;
}

function formatDate(iso: string | null): string {
  if (!iso) return "";
  const [year, month, day] = iso.split("-");
  return `${Number(day)}.${Number(month)}.${year}`;
}

/**
 * A search box that searches as you type and shows suggestions and results
 * from a fundstelle endpoint.
 *
 * Attributes: `endpoint` (the API's base URL; default: where the script came
 * from), `collection` (restrict to one collection), `limit` (results, default
 * 8), `results` (`pages`, the default: each page once with its best sections
 * under it, as a site search shows them; `paragraphs`: every matching
 * paragraph), `mode` (`inline`, the default: the box in the page, results over
 * it; `modal`: a button that opens the search in a dialog, also with the
 * `shortcuts`, "/ mod+k" by default), `facets` (the filter chips with counts
 * shown over the results, "collection kind year" by default, "" for none),
 * `url-query` (keeps the search in the page's URL, `?q=…&collection=…&kind=…&year=…&n=…`,
 * with the History API: a shared or reloaded link shows the same search, and
 * Back returns to the one before), `insights` (tells the API's search insights
 * which query was the final one, when the reader pauses, presses Enter or
 * chooses a result, and which result was chosen; nothing about the reader), and the UI texts `label`, `placeholder`,
 * `text-loading`, `text-empty` ({q} is the query), `text-empty-filtered`, `text-error`,
 * `text-results` ({n} is the count), `text-suggestions`, `text-more` ({n}),
 * `text-correction` ({q}), `text-filters`, `text-facet-collection`,
 * `text-facet-kind`, `text-facet-year`, `text-promoted` (the badge of a result the site's editors promote),
 * `text-help-links` and `text-popular` (the headings of what a search without results offers: the site's links
 * and its popular queries, as the API answers them in `help`).
 *
 * Styling: CSS custom properties `--fundstelle-accent` (and `--fundstelle-accent-dark` for the dark theme), `--fundstelle-text`,
 * `--fundstelle-muted`, `--fundstelle-background`, `--fundstelle-border`,
 * `--fundstelle-mark`, `--fundstelle-radius`, `--fundstelle-font`; parts
 * `root`, `input`, `status`, `panel`, `facets`, `chip`, `listbox`, `option`,
 * `suggestion`, `correction`, `title`, `meta`, `snippet`, `attribution`,
 * `section`, `section-heading`, `badge` (a file's type and page: "PDF · S. 3"), `more`, `button`, `dialog`.
 *
 * What is shown answers the text in the box or, until that is answered, an
 * earlier text: a change of the text or a filter drops the search in flight at
 * once, so an older answer never replaces a newer one. The listbox's
 * `data-query` is the text its results answer.
 *
 * @example
 * <script src="https://search.example.org/widget.js" type="module"></script>
 * <fundstelle-search endpoint="https://search.example.org"></fundstelle-search>
 */
export class FundstelleSearch extends HTMLElement {
  static readonly defaultEndpoint = new URL(".", import.meta.url).href;

  private readonly shadow: ShadowRoot;
  private readonly root: HTMLElement;
  /** With mode="modal": the button that opens the dialog, and the dialog holding the search. */
  private modal: { button: HTMLButtonElement; dialog: HTMLDialogElement } | null = null;
  private readonly input: HTMLInputElement;
  private readonly status: HTMLElement;
  /** What opens over the page: the filter chips and the listbox. */
  private readonly panel: HTMLElement;
  private readonly facetBar: HTMLElement;
  private readonly listbox: HTMLElement;
  private readonly uid = `fundstelle-${++instances}`;
  private options: Option[] = [];
  private active = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | undefined;
  private sequence = 0;
  /** The facet values chosen with the chips (the `collection` attribute, when set, stands above them). */
  private readonly refine = new Map<FacetName, string>();
  /** The text in the box when a filter was chosen: a search that neither extends nor shortens it drops the filters. */
  private refinedFor = "";
  /** With `url-query`: how many results the URL's search showed (`n`), to load again. */
  private restoreCount = 0;
  /**
   * With `insights`: the queries counted as final on this page, each once however often it is searched again or
   * refined (k counts searches, and one reader should not make k of them), the pause timer, and whether to count
   * the next.
   */
  private readonly counted = new Set<string>();
  private pauseTimer: ReturnType<typeof setTimeout> | undefined;
  private countNext = false;
  /** The search shown came from the URL (a shared link, a reload, Back): the reader did not type it, so a pause does not count it. */
  private fromUrl = false;
  /** The next URL write replaces the history entry (the search shown came from the URL). */
  private replaceNext = false;
  /** The search whose results are shown, for loading more of them: its parameters, suggestions and hits. */
  private shown: {
    q: string;
    params: Record<string, string>;
    suggestions: Suggestion[];
    hits: SearchHit[];
    total: number;
    facets: Facets | undefined;
    correction: string | null;
    help: SearchResponse["help"];
  } | null = null;

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    this.shadow.adoptedStyleSheets = [sheet];

    const root = element("div", { part: "root", class: "root" });
    const inputId = `${this.uid}-input`;
    const listboxId = `${this.uid}-listbox`;
    const statusId = `${this.uid}-status`;
    const label = element("label", { for: inputId, class: "visually-hidden" });
    this.input = element("input", {
      id: inputId,
      part: "input",
      type: "search",
      role: "combobox",
      autocomplete: "off",
      spellcheck: "false",
      enterkeyhint: "search",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listboxId,
      "aria-describedby": statusId,
    });
    this.status = element("div", { id: statusId, part: "status", class: "status", role: "status", "aria-live": "polite" });
    this.panel = element("div", { part: "panel", class: "panel", hidden: "" });
    this.facetBar = element("div", { part: "facets", class: "facets" });
    this.listbox = element("ul", { id: listboxId, part: "listbox", class: "listbox", role: "listbox", hidden: "" });
    this.panel.append(this.facetBar, this.listbox);
    root.append(label, this.input, this.status, this.panel);
    this.shadow.append(root);
    this.root = root;

    this.input.addEventListener("input", () => {
      // A new search (not the text typed on, or back) starts without the filters chosen for another.
      const text = this.input.value;
      this.countNext = false;
      this.fromUrl = false;
      if (this.refine.size > 0 && (text.trim() === "" || !(text.startsWith(this.refinedFor) || this.refinedFor.startsWith(text)))) {
        this.refine.clear();
      }
      this.schedule();
    });
    this.input.addEventListener("keydown", (event) => this.onKeyDown(event));
    this.input.addEventListener("focus", () => {
      if (this.options.length > 0) this.open(true);
    });
    this.facetBar.addEventListener("click", (event) => {
      const chip = (event.target as Element).closest<HTMLElement>("button.chip");
      if (chip) this.toggleChip(chip.dataset.facet as FacetName, chip.dataset.value ?? "");
    });
    // Escape on a chip returns to the box, as it closes the list there.
    this.facetBar.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || this.modal) return;
      event.preventDefault();
      this.input.focus();
      this.open(false);
    });
    this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
    this.addEventListener("focusout", (event) => {
      if (!this.contains(event.relatedTarget as Node | null) && !this.shadow.contains(event.relatedTarget as Node | null)) this.open(false);
    });
  }

  static get observedAttributes(): string[] {
    return ["label", "placeholder", "shortcuts"];
  }

  connectedCallback(): void {
    if (this.getAttribute("mode") === "modal" && !this.modal) this.makeModal();
    this.applyTexts();
    if (this.hasAttribute("url-query")) {
      window.addEventListener("popstate", this.onPopState);
      this.restoreFromUrl();
    }
  }

  disconnectedCallback(): void {
    window.removeEventListener("popstate", this.onPopState);
    document.removeEventListener("keydown", this.onShortcut);
    clearTimeout(this.pauseTimer);
  }

  /**
   * mode="modal": a button that opens the search in a native modal <dialog> (the rest of the page is inert, so
   * focus stays inside; Escape closes it, and focus returns to the button). The shortcuts open it too.
   */
  private makeModal(): void {
    const button = element("button", { type: "button", part: "button", class: "open", "aria-haspopup": "dialog" });
    const dialog = element("dialog", { part: "dialog", class: "dialog" });
    dialog.setAttribute("aria-label", this.text("label"));
    this.root.classList.add("in-dialog");
    dialog.append(this.root);
    this.shadow.append(button, dialog);
    button.addEventListener("click", () => this.openModal());
    dialog.addEventListener("close", () => {
      this.open(false);
      button.focus();
    });
    // A click on the backdrop (outside the dialog's box) closes it.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    this.modal = { button, dialog };
    document.addEventListener("keydown", this.onShortcut);
  }

  /** The `shortcuts` attribute's keys as written ("/" and "mod+k" without it). */
  private shortcuts(): string[] {
    return (this.getAttribute("shortcuts") ?? DEFAULT_SHORTCUTS).split(/\s+/).filter(Boolean);
  }

  private openModal(): void {
    if (!this.modal || this.modal.dialog.open) return;
    this.modal.dialog.showModal();
    this.input.focus();
    this.input.select();
  }

  /**
   * The shortcuts that open the modal search: `shortcuts` lists them, space-separated ("/" and "mod+k" by
   * default, mod being Ctrl, or Cmd on a Mac; "" for none). Inactive while a field of the page has focus.
   */
  private readonly onShortcut = (event: KeyboardEvent) => {
    if (!this.modal || this.modal.dialog.open || event.defaultPrevented) return;
    const target = event.composedPath()[0];
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const matches = this.shortcuts().some((shortcut) => {
      const parts = shortcut.toLowerCase().split("+");
      const key = parts.pop() ?? "";
      const mod = parts.includes("mod") || parts.includes("ctrl") || parts.includes("meta");
      const modifierDown = event.ctrlKey || event.metaKey;
      return event.key.toLowerCase() === key && mod === modifierDown && !event.altKey;
    });
    if (!matches) return;
    event.preventDefault();
    this.openModal();
  };

  /** Back and Forward: the search the URL names now. */
  private readonly onPopState = () => this.restoreFromUrl();

  /**
   * With `url-query`: the search the page's URL names, searched at once: the query (`q`), the chosen facet
   * values (`collection`, `kind`, `year`) and how many results were shown (`n`).
   */
  private restoreFromUrl(): void {
    const params = new URL(window.location.href).searchParams;
    this.refine.clear();
    for (const name of FACET_NAMES) {
      const value = params.get(name);
      // What a hand-edited link holds that the API would refuse is left out rather than shown as an error.
      if (value && value.length <= 200 && (name !== "year" || /^\d{4}$/.test(value))) this.refine.set(name, value);
    }
    this.refinedFor = params.get("q") ?? "";
    this.restoreCount = Math.min(Math.max(Math.floor(Number(params.get("n"))) || 0, 0), 1000);
    // What follows shows the URL's search: it must not add an entry of its own to the history.
    this.replaceNext = true;
    this.fromUrl = true;
    this.input.value = params.get("q") ?? "";
    this.schedule(0);
  }

  /**
   * With `url-query`: writes the search shown into the page's URL. Typing on (the text extends or shortens the
   * one in the URL) and loading more results replace the history entry; a new search or filter adds one, so
   * that Back returns to the one before.
   */
  private writeUrl(q: string): void {
    if (!this.hasAttribute("url-query")) return;
    const url = new URL(window.location.href);
    const before = url.searchParams.get("q") ?? "";
    const wanted = new Map<string, string>([["q", q]]);
    for (const name of FACET_NAMES) wanted.set(name, this.refine.get(name) ?? "");
    const shown = this.shown?.hits.length ?? 0;
    wanted.set("n", q !== "" && shown > this.pageSize() ? String(shown) : "");
    const sameFilters = FACET_NAMES.every((name) => (url.searchParams.get(name) ?? "") === wanted.get(name));
    const replace = this.replaceNext || (sameFilters && before !== "" && (q.startsWith(before) || before.startsWith(q)));
    this.replaceNext = false;
    if ([...wanted].every(([name, value]) => (url.searchParams.get(name) ?? "") === value)) return;
    for (const [name, value] of wanted) {
      if (value === "") url.searchParams.delete(name);
      else url.searchParams.set(name, value);
    }
    if (replace) window.history.replaceState(window.history.state, "", url);
    else window.history.pushState(window.history.state, "", url);
  }

  attributeChangedCallback(): void {
    this.applyTexts();
  }

  private text(key: TextKey, values: Record<string, string | number> = {}): string {
    const template = this.getAttribute(key) ?? TEXTS[key];
    // The template comes from the page: "{constructor}" names no value, not Object.prototype's.
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
  }

  private applyTexts(): void {
    const label = this.shadow.querySelector("label");
    if (label) label.textContent = this.text("label");
    if (this.modal) {
      const hint = this.shortcuts()[0] ?? "";
      this.modal.button.replaceChildren(
        element("span", { class: "open-label" }, this.text("label")),
        ...(hint === "" ? [] : [element("kbd", { "aria-hidden": "true" }, hint.replace(/^mod\+/i, "Strg+"))]),
      );
      this.modal.dialog.setAttribute("aria-label", this.text("label"));
    }
    this.input.placeholder = this.text("placeholder");
    this.facetBar.setAttribute("aria-label", this.text("text-filters"));
  }

  private get endpoint(): string {
    const value = this.getAttribute("endpoint") || FundstelleSearch.defaultEndpoint;
    return value.endsWith("/") ? value : `${value}/`;
  }

  private url(path: string, params: Record<string, string>): string {
    const url = new URL(path, this.endpoint);
    for (const [name, value] of Object.entries(params)) if (value !== "") url.searchParams.set(name, value);
    return url.href;
  }

  /** Results per search (the `limit` attribute, 8 by default). */
  private pageSize(): number {
    const limit = Number(this.getAttribute("limit"));
    return Number.isInteger(limit) && limit >= 1 && limit <= 50 ? limit : RESULTS;
  }

  /** The facets shown as chips: the `facets` attribute's, without collection when the `collection` attribute fixes it. */
  private facetNames(): FacetName[] {
    const names = (this.getAttribute("facets") ?? DEFAULT_FACETS).split(/[\s,]+/);
    return FACET_NAMES.filter((name) => names.includes(name) && !(name === "collection" && this.getAttribute("collection")));
  }

  /** Chooses a chip's value, or drops it when it was chosen, and searches again. */
  private toggleChip(name: FacetName, value: string): void {
    if (this.refine.get(name) === value) this.refine.delete(name);
    else this.refine.set(name, value);
    this.refinedFor = this.input.value;
    this.fromUrl = false;
    this.schedule(0);
  }

  /** With `insights`: sends `body` to the API's insights (text/plain JSON, so no preflight; it outlives a navigation). */
  private beacon(path: "search" | "choice", body: Record<string, string | null>): void {
    if (!this.hasAttribute("insights")) return;
    void fetch(this.url(`insights/${path}`, {}), {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      credentials: "omit",
      keepalive: true,
    }).catch(() => {});
  }

  /** With `insights`: counts the search shown as the reader's final query, once per query on this page. */
  private countFinal(): void {
    clearTimeout(this.pauseTimer);
    const shown = this.shown;
    if (!shown || !this.hasAttribute("insights")) return;
    const key = shown.q.trim().toLowerCase().replace(/\s+/g, " ");
    if (this.counted.has(key)) return;
    this.counted.add(key);
    const body: Record<string, string> = {};
    for (const [name, value] of Object.entries(shown.params)) if (value !== "") body[name] = value;
    this.beacon("search", body);
  }

  /** Loads more results of the search shown until `count` are shown (a search restored from the URL's `n`). */
  private async restoreShown(count: number): Promise<void> {
    const shown = this.shown;
    while (shown && this.shown === shown && shown.hits.length < Math.min(count, shown.total, 1000)) {
      const before = shown.hits.length;
      await this.loadMore(count - before, false);
      if (shown.hits.length === before) return;
    }
  }

  /**
   * Drops the search in flight: its answer is for a text or filter that no longer stands. Called as soon as
   * either changes, not only when the debounce timer fires, so an answer arriving in between is not shown.
   */
  private invalidate(): void {
    this.sequence++;
    this.controller?.abort();
    this.controller = undefined;
  }

  private schedule(delay = DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    clearTimeout(this.pauseTimer);
    this.invalidate();
    this.timer = setTimeout(() => void this.run(), delay);
  }

  /**
   * Runs one search and its suggestions (both for the same text, shown together or not at all). An answer is
   * shown only while its run is the newest (a change of the filter starts a newer one) and the box still holds
   * the text it searched for.
   */
  private async run(): Promise<void> {
    this.timer = undefined;
    this.invalidate();
    const sequence = this.sequence;
    const q = this.input.value;
    if (q.trim() === "") {
      this.showNothing();
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    const current = () => sequence === this.sequence && !controller.signal.aborted && this.input.value === q;
    this.setBusy(true);
    const group = this.getAttribute("results") === "paragraphs" ? "" : "document";
    const year = this.refine.get("year") ?? "";
    const params = {
      q,
      collection: this.getAttribute("collection") ?? this.refine.get("collection") ?? "",
      kind: this.refine.get("kind") ?? "",
      from: year && `${year}-01-01`,
      to: year && `${year}-12-31`,
      group,
    };
    const facets = this.facetNames().join(",");
    const restore = this.restoreCount;
    this.restoreCount = 0;
    const signal = controller.signal;
    try {
      const suggestionsOf = (list: Suggestion[]) => list.filter((s) => s.query.trim().toLowerCase() !== q.trim().toLowerCase());
      // Suggestions are an extra: asked for beside the search, shown with its results when they come in time, added
      // when they come later, and never waited for without end (a suggestion request that hangs once kept the
      // results of "Kasachstan" from ever showing).
      const suggesting = fetch(this.url("suggest", { q, limit: String(SUGGESTIONS) }), { signal })
        .then(async (suggest) => (suggest.ok ? ((await suggest.json()) as SuggestResponse).suggestions : []))
        .catch((): Suggestion[] => []);
      const results = await fetch(this.url("search", { ...params, limit: String(this.pageSize()), facets }), { signal }).then(
        async (search) => {
          if (!search.ok) throw new Error(`search answered ${search.status}`);
          return (await search.json()) as SearchResponse;
        },
      );
      let grace: ReturnType<typeof setTimeout> | undefined;
      const suggestions = await Promise.race([
        suggesting,
        new Promise<null>((resolve) => {
          grace = setTimeout(() => resolve(null), SUGGEST_GRACE_MS);
        }),
      ]);
      clearTimeout(grace);
      if (!current()) return;
      const shown: NonNullable<typeof this.shown> = {
        q,
        params,
        suggestions: suggestionsOf(suggestions ?? []),
        hits: results.hits,
        total: results.total,
        facets: results.facets,
        correction: results.correction ?? null,
        help: results.help,
      };
      this.shown = shown;
      if (suggestions === null) {
        void suggesting.then((late) => {
          // Only while these results stand and the reader has not moved into them: the list must not shift under them.
          if (late.length === 0 || this.shown !== shown || !current() || this.active !== -1) return;
          shown.suggestions = suggestionsOf(late);
          this.showResults();
        });
      }
      this.showResults();
      this.writeUrl(q);
      // A search from the URL that showed more results: load them again.
      if (restore > results.hits.length) void this.restoreShown(restore);
      if (this.countNext) {
        this.countNext = false;
        this.countFinal();
      } else if (this.hasAttribute("insights") && !this.fromUrl) {
        this.pauseTimer = setTimeout(() => this.countFinal(), PAUSE_MS);
      }
    } catch {
      this.countNext = false;
      if (!current()) return;
      this.render([], this.text("text-error"), "", true);
    } finally {
      // Only the newest run may end the busy state: an older one ending says nothing about the newest.
      if (sequence === this.sequence) this.setBusy(false);
    }
  }

  /** An empty box: no results, no chips but chosen ones, nothing busy, no query in the URL. */
  private showNothing(): void {
    this.shown = null;
    this.renderFacets();
    this.render([], "");
    this.setBusy(false);
    this.writeUrl("");
  }

  /** Renders {@link shown}: suggestions, each result with its sections, and "Alle N Treffer anzeigen" while there are more. */
  private showResults(focus = -1): void {
    const shown = this.shown;
    if (!shown) return;
    const { q, suggestions, hits, total, correction, help } = shown;
    const options: Option[] = [
      ...(correction ? [{ kind: "correction" as const, query: correction }] : []),
      ...suggestions.map((suggestion) => ({ kind: "suggestion" as const, suggestion })),
      ...hits.flatMap((hit): Option[] => [
        { kind: "hit", hit, href: this.hrefOf(hit) },
        // Its sections with a heading of their own, each a link to where it starts (a page without headings,
        // or whose one heading is its title, has none).
        ...(hit.sections ?? [])
          .filter((section) => section.heading !== "" && section.heading !== hit.doc.title)
          .flatMap((section): Option[] => {
            const href = this.sectionHref(section);
            return href === null ? [] : [{ kind: "section", hit, section, href }];
          }),
      ]),
    ];
    // The API pages up to offset 1000.
    if (hits.length > 0 && hits.length < total && hits.length < 1000) options.push({ kind: "more", total });
    // Nothing found (and no correction to try): the site's links and what others found, where the API offers them.
    if (hits.length === 0 && !correction && help) {
      for (const link of help.links) {
        if (isSafeUrl(link.url)) options.push({ kind: "link", title: link.title, href: link.url });
      }
      for (const query of help.popular) options.push({ kind: "popular", query });
    }
    const message =
      hits.length > 0
        ? this.text("text-results", { n: total })
        : this.text(this.refine.size > 0 ? "text-empty-filtered" : "text-empty", { q });
    this.renderFacets();
    this.render(options, message, q);
    if (focus >= 0 && focus < options.length) this.setActive(focus);
  }

  /**
   * The filter chips of the search shown: per facet its values with their counts (a facet with a single value
   * and none chosen has nothing to choose between, and is left out). Focus on a chip stays on that chip.
   */
  private renderFacets(): void {
    const facets = this.shown?.facets ?? {};
    const focused = this.shadow.activeElement as HTMLElement | null;
    const keep = focused?.classList.contains("chip") ? `${focused.dataset.facet} ${focused.dataset.value}` : null;
    let refocus: HTMLElement | null = null;
    const groups = this.facetNames().flatMap((name) => {
      const chosen = this.refine.get(name);
      const all = facets[name] ?? [];
      const values = all.slice(0, CHIPS);
      // The chosen value always has its chip: with its count, even below the first CHIPS, or 0 when nothing matches.
      if (chosen !== undefined && !values.some((v) => v.value === chosen)) {
        values.push(all.find((v) => v.value === chosen) ?? { value: chosen, label: chosen, count: 0 });
      }
      if (values.length < 2 && chosen === undefined) return [];
      const title = this.text(`text-facet-${name}`);
      const group = element("div", { class: "facet", role: "group", "aria-label": title });
      const chips = element("div", { class: "chips" });
      group.append(element("span", { class: "facet-label", "aria-hidden": "true" }, title), chips);
      for (const { value, label, count } of values) {
        const chip = element("button", { type: "button", part: "chip", class: "chip", "aria-pressed": String(value === chosen) });
        chip.dataset.facet = name;
        chip.dataset.value = value;
        chip.append(`${label} `, element("span", { class: "count" }, String(count)));
        if (keep === `${name} ${value}`) refocus = chip;
        chips.append(chip);
      }
      return [group];
    });
    // The new chips first, focus moved to its chip, then the old ones removed: removing the focused chip would
    // send focus out of the widget, which closes it.
    const old = [...this.facetBar.children];
    this.facetBar.append(...groups);
    this.facetBar.hidden = groups.length === 0;
    (refocus as HTMLElement | null)?.focus();
    for (const group of old) group.remove();
  }

  /**
   * Loads up to `count` further results of the search shown (the API's largest page, {@link MORE}, by default)
   * and, when `keepPlace`, makes the first of them the active option, where "Alle N Treffer anzeigen" was.
   */
  private async loadMore(count = MORE, keepPlace = true): Promise<void> {
    const shown = this.shown;
    const wanted = Math.min(MORE, count, (shown?.total ?? 0) - (shown?.hits.length ?? 0));
    if (!shown || wanted <= 0) return;
    const sequence = this.sequence;
    const first = keepPlace ? this.options.findIndex((option) => option.kind === "more") : -1;
    this.setBusy(true);
    try {
      const limit = String(wanted);
      const response = await fetch(this.url("search", { ...shown.params, limit, offset: String(shown.hits.length) }));
      if (!response.ok) throw new Error(`search answered ${response.status}`);
      const more = (await response.json()) as SearchResponse;
      // A newer search, or another text in the box, has taken over meanwhile: these results are not wanted.
      if (sequence !== this.sequence || this.shown !== shown || this.input.value !== shown.q) return;
      shown.hits = [...shown.hits, ...more.hits];
      shown.total = more.total;
      this.showResults(first);
      this.writeUrl(shown.q);
    } catch {
      if (sequence === this.sequence) this.status.textContent = this.text("text-error");
    } finally {
      if (sequence === this.sequence) this.setBusy(false);
    }
  }

  private hrefOf(hit: SearchHit): string {
    // Only links that stay web links on this site or go to a named http(s) host (common/safe-url.ts): not a
    // javascript: URL from a compromised index, nor //evil.example or /\evil.example, which leave the site.
    if (hit.doc.url !== null && isSafeUrl(hit.doc.url)) {
      // A PDF opens at the page its badge names (the best section's, "#page=N"), where browsers' viewers go.
      const best = hit.sections?.[0];
      if (fileTypeOf(hit.doc) === "PDF" && best !== undefined && pdfPageOf(best.anchor) !== null && isSafeUrl(best.url)) return best.url;
      return hit.doc.url;
    }
    return `${this.url(`documents/${encodeURIComponent(hit.doc.id)}`, {})}#p-${hit.paragraph}`;
  }

  /** Where a section links: its url from the API if it is a safe web link, its document view resolved against the endpoint. */
  private sectionHref(section: SearchSection): string | null {
    if (section.url.startsWith("/documents/")) return new URL(section.url.slice(1), this.endpoint).href;
    return isSafeUrl(section.url) ? section.url : null;
  }

  private setBusy(busy: boolean): void {
    this.toggleAttribute("busy", busy);
    this.input.setAttribute("aria-busy", String(busy));
    if (busy && this.options.length === 0) this.status.textContent = this.text("text-loading");
  }

  /** Shows `options` and `message`; `query` is the text they answer ("" for none). */
  private render(options: Option[], message: string, query = "", error = false): void {
    this.options = options;
    if (query === "") this.listbox.removeAttribute("data-query");
    else this.listbox.dataset.query = query;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.status.textContent = message;
    this.status.classList.toggle("error", error);
    const items = options.map((option, i) => {
      const item = element("li", { id: `${this.uid}-option-${i}`, role: "option", "aria-selected": "false" });
      item.addEventListener("click", () => this.choose(i));
      const previous = options[i - 1]?.kind;
      if (option.kind === "link" || option.kind === "popular") {
        item.setAttribute("part", `option ${option.kind}`);
        item.className = option.kind;
        // The first of its kind says what the list is (as the listbox's options, so that arrows reach them all).
        if (previous !== option.kind) {
          const heading = option.kind === "link" ? this.text("text-help-links") : this.text("text-popular");
          item.append(element("span", { class: "help-heading", part: "help-heading" }, heading));
        }
        if (option.kind === "link") {
          item.dataset.href = option.href;
          item.append(element("span", { class: "help-link" }, option.title));
        } else {
          item.append(element("span", { class: "suggestion-label", "aria-hidden": "true" }, "↗"), element("span", {}, option.query));
          item.setAttribute("aria-label", `${this.text("text-popular")}: ${option.query}`);
        }
      } else if (option.kind === "correction") {
        item.setAttribute("part", "option correction");
        item.className = "correction";
        const [before = "", after = ""] = this.text("text-correction").split("{q}");
        item.append(before, element("strong", {}, option.query), after);
      } else if (option.kind === "suggestion") {
        item.setAttribute("part", "option suggestion");
        item.className = "suggestion";
        const text = element("span", { class: "suggestion-text" });
        setMarkedHtml(text, option.suggestion.html);
        item.append(element("span", { class: "suggestion-label", "aria-hidden": "true" }, "↗"), text);
        item.setAttribute("aria-label", `${this.text("text-suggestions")}: ${option.suggestion.query}`);
      } else if (option.kind === "more") {
        item.setAttribute("part", "option more");
        item.className = "more";
        item.textContent = this.text("text-more", { n: option.total });
      } else if (option.kind === "section") {
        const { hit, section } = option;
        item.setAttribute("part", "option section");
        item.className = "section";
        item.dataset.href = option.href;
        const heading = element("span", { part: "section-heading", class: "section-heading" });
        const page = fileTypeOf(hit.doc) === null ? null : pdfPageOf(section.anchor);
        if (page !== null) heading.append(element("span", { part: "badge", class: "badge" }, `S. ${page}`));
        // A PDF page without a heading of its own is headed "Seite N": its badge says that already.
        if (page === null || section.heading !== `Seite ${page}`) {
          heading.append(element("span"));
          setMarkedHtml(heading.lastElementChild as HTMLElement, section.headingHtml);
        }
        item.append(heading);
        // The page's own snippet above is this section's best paragraph already: not twice.
        if (section.paragraph !== hit.paragraph) {
          const snippet = element("span", { part: "snippet", class: "snippet" });
          setMarkedHtml(snippet, section.snippetHtml);
          item.append(snippet);
        }
        item.setAttribute("aria-label", `${hit.doc.title} › ${section.heading}`);
      } else {
        const { hit } = option;
        item.setAttribute("part", "option");
        item.className = "hit";
        // The option itself is the target (Enter or click): a link inside it would nest interactive elements.
        item.dataset.href = option.href;
        const link = element("div", { class: "hit-body" });
        const title = element("span", { part: "title", class: "title" });
        if (hit.promoted) title.append(element("span", { part: "badge promoted", class: "badge promoted" }, this.text("text-promoted")));
        const badge = fileBadge(hit);
        if (badge !== null) title.append(element("span", { part: "badge", class: "badge" }, badge));
        title.append(element("span"));
        setMarkedHtml(title.lastElementChild as HTMLElement, hit.titleHtml);
        // A PDF's kind is its badge already: not twice.
        const kind = hit.doc.kind === fileTypeOf(hit.doc) ? null : hit.doc.kind;
        const meta = element(
          "span",
          { part: "meta", class: "meta" },
          [formatDate(hit.doc.date), kind, hit.collection.title].filter(Boolean).join(" · "),
        );
        const snippet = element("span", { part: "snippet", class: "snippet" });
        setMarkedHtml(snippet, hit.snippetHtml);
        link.append(title, meta, snippet);
        item.append(link);
        if (hit.collection.attribution) {
          const license = hit.collection.license ? ` (${hit.collection.license})` : "";
          item.append(element("span", { part: "attribution", class: "attribution" }, `${hit.collection.attribution}${license}`));
        }
      }
      return item;
    });
    this.listbox.replaceChildren(...items);
    this.open(true);
  }

  private open(open: boolean): void {
    const show = open && this.options.length > 0;
    this.listbox.hidden = !show;
    // With a filter chosen, the chips stay open even without results: the way back is there.
    this.panel.hidden = !(show || (open && this.shown !== null && this.refine.size > 0));
    this.input.setAttribute("aria-expanded", String(show));
    if (!show) {
      this.active = -1;
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  private setActive(index: number): void {
    const items = this.listbox.querySelectorAll<HTMLElement>("[role=option]");
    items[this.active]?.setAttribute("aria-selected", "false");
    this.active = index;
    const item = items[index];
    if (!item) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    item.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  private choose(index: number): void {
    const option = this.options[index];
    if (!option) return;
    if (option.kind === "link") {
      window.location.assign(option.href);
      return;
    }
    if (option.kind === "suggestion" || option.kind === "correction" || option.kind === "popular") {
      this.input.value = option.kind === "suggestion" ? `${option.suggestion.query} ` : option.query;
      this.input.focus();
      this.schedule(0);
      return;
    }
    if (option.kind === "more") {
      void this.loadMore();
      return;
    }
    // Choosing a result makes its query final; the choice names the page and section, nothing about the reader.
    this.countFinal();
    if (this.shown) {
      this.beacon("choice", { q: this.shown.q, doc: option.hit.doc.id, section: option.kind === "section" ? option.section.anchor : null });
    }
    const event = new CustomEvent("fundstelle-select", {
      detail: { hit: option.hit, href: option.href, section: option.kind === "section" ? option.section : null },
      cancelable: true,
      bubbles: true,
      composed: true,
    });
    if (this.dispatchEvent(event)) window.location.assign(option.href);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const count = this.options.length;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (count === 0) return;
        this.open(true);
        this.setActive(this.active < count - 1 ? this.active + 1 : 0);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (count === 0) return;
        this.open(true);
        this.setActive(this.active > 0 ? this.active - 1 : count - 1);
        break;
      case "Enter":
        if (this.active >= 0 && !this.listbox.hidden) {
          event.preventDefault();
          this.choose(this.active);
        } else {
          // Enter makes the query final: counted once its results are shown.
          this.countNext = true;
          this.schedule(0);
        }
        break;
      case "Escape":
        if (!this.panel.hidden) {
          event.preventDefault();
          this.open(false);
        } else if (this.input.value !== "") {
          event.preventDefault();
          this.input.value = "";
          // No input event follows a change by script: drop the pending and running search, the pause that would
          // count it, the results and the filters chosen for it here.
          clearTimeout(this.timer);
          clearTimeout(this.pauseTimer);
          this.timer = undefined;
          this.countNext = false;
          this.invalidate();
          this.refine.clear();
          this.showNothing();
        }
        break;
    }
  }
}

if (!customElements.get("fundstelle-search")) customElements.define("fundstelle-search", FundstelleSearch);
