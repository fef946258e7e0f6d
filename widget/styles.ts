// The widget's stylesheet, adopted by its shadow root; themeable through custom properties and ::part().

/**
 * The dark theme's colours (contrast at least 4.5:1 for text, marked text and titles on marks included). Its accent is
 * a property of its own: a site's accent is chosen for its light pages (#004b87 gives 1.8:1 on this background).
 */
const DARK = `
  --_accent: var(--fundstelle-accent-dark, #8ab4f8);
  --_text: var(--fundstelle-text, #e8e8ec);
  --_muted: var(--fundstelle-muted, #b9b9c3);
  --_background: var(--fundstelle-background, #1d1e22);
  --_border: var(--fundstelle-border, #7c7c88);
  --_mark: var(--fundstelle-mark, #4d3d00);
`;

export const STYLES = `
:host {
  --_accent: var(--fundstelle-accent, #0b57d0);
  --_text: var(--fundstelle-text, #1b1b1f);
  --_muted: var(--fundstelle-muted, #5e5e66);
  --_background: var(--fundstelle-background, #ffffff);
  --_border: var(--fundstelle-border, #8e8e96);
  --_mark: var(--fundstelle-mark, #fff0a8);
  --_radius: var(--fundstelle-radius, 8px);
  display: block;
  position: relative;
  max-width: 44rem;
  font: var(--fundstelle-font, 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
}
/* Dark: following the reader's system, or set with theme="dark" (theme="light" keeps the light one). */
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) { ${DARK} }
}
:host([theme="dark"]) { ${DARK} }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
input {
  display: block; width: 100%; font: inherit; color: var(--_text); background: var(--_background);
  padding: .65rem .85rem; border: 1px solid var(--_border); border-radius: var(--_radius);
}
input:focus-visible, .chip:focus-visible { outline: 3px solid var(--_accent); outline-offset: 1px; }
/* The status line stands on the host page's background, not the widget's: it takes the page's text colour. */
.status { min-height: 1.5em; line-height: 1.5; margin: .35rem .1rem; font-size: .9rem; color: var(--fundstelle-status, inherit); }
.status.error { color: #a4000f; }
:host([busy]) .status { opacity: .8; }
.panel {
  /* Over the page, under the box: opening it never moves the host page's content. */
  position: absolute; top: 100%; left: 0; right: 0; z-index: 1000;
  background: var(--_background); color: var(--_text);
  border: 1px solid var(--_border); border-radius: var(--_radius);
  box-shadow: 0 8px 24px rgb(0 0 0 / 18%);
  max-height: min(70vh, 36rem); overflow-y: auto;
}
.listbox { list-style: none; margin: 0; padding: .25rem; }
.panel[hidden], .listbox[hidden], .facets[hidden] { display: none; }
/* The chips stay in view while the results scroll under them. */
.facets {
  position: sticky; top: 0; z-index: 1; background: var(--_background);
  padding: .5rem .65rem .25rem; border-bottom: 1px solid color-mix(in srgb, var(--_border) 45%, var(--_background));
}
.facet { display: grid; grid-template-columns: 4.5rem 1fr; gap: .5rem; align-items: baseline; margin-bottom: .3rem; }
.chips { display: flex; flex-wrap: wrap; gap: .35rem; min-width: 0; }
.facet-label { font-size: .8rem; color: var(--_muted); }
.chip {
  font: inherit; font-size: .85rem; line-height: 1.3; cursor: pointer; color: var(--_text); background: var(--_background);
  padding: .2rem .6rem; border: 1px solid var(--_border); border-radius: 999px;
}
.chip .count { color: var(--_muted); font-variant-numeric: tabular-nums; }
.chip[aria-pressed="true"] { color: var(--_background); background: var(--_accent); border-color: var(--_accent); }
.chip[aria-pressed="true"] .count { color: inherit; }
.chip:hover { border-color: var(--_accent); }
.correction { color: var(--_text); }
.correction strong { color: var(--_accent); }
[role="option"] { display: block; padding: .55rem .65rem; border-radius: calc(var(--_radius) - 2px); cursor: pointer; }
[role="option"] + [role="option"] { margin-top: .15rem; }
[role="option"][aria-selected="true"] { outline: 3px solid var(--_accent); outline-offset: -3px; background: color-mix(in srgb, var(--_accent) 8%, var(--_background)); }
[role="option"]:hover { background: color-mix(in srgb, var(--_accent) 6%, var(--_background)); }
.suggestion { display: flex; gap: .5rem; align-items: baseline; color: var(--_text); }
.suggestion-label { color: var(--_muted); }
.hit-body { display: block; }
.title { display: block; font-weight: 600; color: var(--_accent); }
.meta { display: block; font-size: .85rem; color: var(--_muted); }
.badge {
  display: inline-block; margin-right: .45em; padding: 0 .35em; font-size: .75rem; font-weight: 600; line-height: 1.5;
  vertical-align: .1em; color: var(--_text); border: 1px solid var(--_border); border-radius: 3px;
}
.badge.promoted { color: var(--_background); background: var(--_accent); border-color: var(--_accent); }
.help-heading { display: block; font-size: .8rem; color: var(--_muted); margin-bottom: .2rem; }
.link .help-link { font-weight: 600; color: var(--_accent); }
.popular { color: var(--_text); }
.popular .suggestion-label { margin-right: .5rem; }
.snippet { display: block; margin-top: .15rem; }
.attribution { display: block; margin-top: .2rem; font-size: .8rem; color: var(--_muted); }
[role="option"].section { margin: .05rem 0 0 1rem; padding: .35rem .65rem; border-left: 2px solid var(--_border); border-radius: 0 calc(var(--_radius) - 2px) calc(var(--_radius) - 2px) 0; }
[role="option"] + [role="option"].section { margin-top: .05rem; }
.section-heading { display: block; font-weight: 600; color: var(--_text); }
[role="option"].more { text-align: center; font-weight: 600; color: var(--_accent); }
.section .snippet { font-size: .92rem; }
mark { background: var(--_mark); color: inherit; padding: 0 .05em; border-radius: 2px; }
.open {
  display: inline-flex; gap: .75rem; align-items: center; font: inherit; cursor: pointer;
  color: var(--_text); background: var(--_background); padding: .5rem .8rem;
  border: 1px solid var(--_border); border-radius: var(--_radius);
}
.open:focus-visible { outline: 3px solid var(--_accent); outline-offset: 1px; }
kbd { font: .8rem/1 ui-monospace, monospace; padding: .2rem .35rem; border: 1px solid var(--_border); border-radius: 4px; color: var(--_muted); }
.dialog {
  width: min(44rem, calc(100vw - 2rem)); max-height: calc(100vh - 4rem); margin: 2rem auto auto; padding: 1rem;
  color: var(--_text); background: var(--_background); border: 1px solid var(--_border); border-radius: var(--_radius);
}
.dialog::backdrop { background: rgb(0 0 0 / 45%); }
/* In the dialog the results follow the box: the dialog is the panel. */
.in-dialog .panel { position: static; box-shadow: none; border: 0; max-height: calc(100vh - 12rem); }
.in-dialog .status { color: var(--_muted); }
@media (max-width: 30rem) {
  [role="option"] { padding: .5rem .4rem; }
  /* One row of chips per facet on a phone, scrolled sideways. */
  .facet { grid-template-columns: auto 1fr; }
  .chips { flex-wrap: nowrap; overflow-x: auto; padding-bottom: .15rem; }
  .chip { flex: none; }
  .snippet { font-size: .95rem; }
}
`;
