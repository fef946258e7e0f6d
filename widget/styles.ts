// The widget's stylesheet, adopted by its shadow root; themeable through custom properties and ::part().

/** The dark theme's colours (contrast at least 4.5:1 for text, marked text and titles on marks included). */
const DARK = `
  --_accent: var(--fundstelle-accent, #8ab4f8);
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
.row { display: flex; gap: .5rem; flex-wrap: wrap; }
input {
  flex: 1 1 14rem; min-width: 0; font: inherit; color: var(--_text); background: var(--_background);
  padding: .65rem .85rem; border: 1px solid var(--_border); border-radius: var(--_radius);
}
select {
  flex: 0 1 auto; max-width: 100%; font: inherit; color: var(--_text); background: var(--_background);
  padding: .6rem .5rem; border: 1px solid var(--_border); border-radius: var(--_radius);
}
input:focus-visible, select:focus-visible { outline: 3px solid var(--_accent); outline-offset: 1px; }
/* The status line stands on the host page's background, not the widget's: it takes the page's text colour. */
.status { min-height: 1.5em; line-height: 1.5; margin: .35rem .1rem; font-size: .9rem; color: var(--fundstelle-status, inherit); }
.status.error { color: #a4000f; }
:host([busy]) .status { opacity: .8; }
.listbox {
  /* Over the page, under the box: opening it never moves the host page's content. */
  position: absolute; top: 100%; left: 0; right: 0; z-index: 1000;
  list-style: none; margin: 0; padding: .25rem; background: var(--_background); color: var(--_text);
  border: 1px solid var(--_border); border-radius: var(--_radius);
  box-shadow: 0 8px 24px rgb(0 0 0 / 18%);
  max-height: min(70vh, 36rem); overflow-y: auto;
}
.listbox[hidden] { display: none; }
[role="option"] { display: block; padding: .55rem .65rem; border-radius: calc(var(--_radius) - 2px); cursor: pointer; }
[role="option"] + [role="option"] { margin-top: .15rem; }
[role="option"][aria-selected="true"] { outline: 3px solid var(--_accent); outline-offset: -3px; background: color-mix(in srgb, var(--_accent) 8%, var(--_background)); }
[role="option"]:hover { background: color-mix(in srgb, var(--_accent) 6%, var(--_background)); }
.suggestion { display: flex; gap: .5rem; align-items: baseline; color: var(--_text); }
.suggestion-label { color: var(--_muted); }
.hit-body { display: block; }
.title { display: block; font-weight: 600; color: var(--_accent); }
.meta { display: block; font-size: .85rem; color: var(--_muted); }
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
.in-dialog .listbox { position: static; box-shadow: none; max-height: calc(100vh - 12rem); }
.in-dialog .status { color: var(--_muted); }
@media (max-width: 30rem) {
  [role="option"] { padding: .5rem .4rem; }
  .snippet { font-size: .95rem; }
}
`;
