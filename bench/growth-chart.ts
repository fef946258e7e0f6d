// The growth curve as an SVG chart, drawn with Vega-Lite and Vega (BSD-3-Clause, benchmark-only packages in
// bench/package.json) without a browser or native modules: search time, then size and memory against their limits.

/** One measured size: what the chart plots. */
export interface GrowthPoint {
  /** The size asked for (an axis label), and the paragraphs the corpus had. */
  size: number;
  paragraphs: number;
  /** Warm search time in ms, paragraphs and pages (group=document). */
  paragraphsP50: number;
  paragraphsP99: number;
  pagesP50: number;
  pagesP99: number;
  /** First time each query is seen, p99, in ms. */
  paragraphsColdP99: number;
  pagesColdP99: number;
  /** Bytes; null where not measured. */
  bundleGzip: number | null;
  bundleRaw: number | null;
  heap: number | null;
  /** Milliseconds; null where not measured. */
  startup: number | null;
}

/** A horizontal line for a platform limit in the chart's panel of sizes (MiB) or of milliseconds. */
export interface Limit {
  label: string;
  value: number;
  panel: "time" | "size";
}

interface VegaModules {
  compile(spec: unknown): { spec: unknown };
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: "none" }) => { toSVG(): Promise<string> };
}

/** Loads Vega-Lite and Vega by name, so that type checks of the project do not need them installed. */
async function loadVega(script: string): Promise<VegaModules> {
  const names = ["vega", "vega-lite"];
  try {
    const [vega, vegaLite] = (await Promise.all(names.map((name) => import(name)))) as [
      Pick<VegaModules, "parse" | "View">,
      Pick<VegaModules, "compile">,
    ];
    return { compile: vegaLite.compile, parse: vega.parse, View: vega.View };
  } catch {
    console.error(`${script} needs the benchmark packages: npm ci --prefix bench (npm run ${script} does it).`);
    process.exit(1);
  }
}

const MIB = 1024 * 1024;
const WIDTH = 380;
const TITLE = "fundstelle: search time, startup CPU, bundle size and memory as the corpus grows, against the Workers limits";
const legend = { orient: "bottom", columns: 2, title: null, symbolType: "stroke", symbolStrokeWidth: 2, labelLimit: 240 };

interface Datum {
  paragraphs: number;
  series: string;
  value: number;
}

/** Every line the chart may draw: blues for paragraphs, oranges for pages, dashed where first seen. */
const SERIES: readonly { name: string; color: string; dashed: boolean }[] = [
  { name: "paragraphs, p50", color: "#6baed6", dashed: false },
  { name: "paragraphs, p99", color: "#2171b5", dashed: false },
  { name: "paragraphs, p99 first time", color: "#08306b", dashed: true },
  { name: "pages, p50", color: "#fd8d3c", dashed: false },
  { name: "pages, p99", color: "#d94801", dashed: false },
  { name: "pages, p99 first time", color: "#7f2704", dashed: true },
  { name: "startup CPU", color: "#41ab5d", dashed: false },
  { name: "bundle, gzip", color: "#807dba", dashed: false },
  { name: "bundle, raw", color: "#3f007d", dashed: false },
  { name: "memory (heap + index.bin)", color: "#41ab5d", dashed: false },
];

/** The chart's SVG: two panels side by side over the paragraphs (log scale), with the limits as dashed rules. */
export async function growthChart(points: readonly GrowthPoint[], limits: readonly Limit[], script: string): Promise<string> {
  const { compile, parse, View } = await loadVega(script);
  const time: Datum[] = points.flatMap((p) => [
    { paragraphs: p.paragraphs, series: "paragraphs, p50", value: p.paragraphsP50 },
    { paragraphs: p.paragraphs, series: "paragraphs, p99", value: p.paragraphsP99 },
    { paragraphs: p.paragraphs, series: "paragraphs, p99 first time", value: p.paragraphsColdP99 },
    { paragraphs: p.paragraphs, series: "pages, p50", value: p.pagesP50 },
    { paragraphs: p.paragraphs, series: "pages, p99", value: p.pagesP99 },
    { paragraphs: p.paragraphs, series: "pages, p99 first time", value: p.pagesColdP99 },
    ...(p.startup === null ? [] : [{ paragraphs: p.paragraphs, series: "startup CPU", value: p.startup }]),
  ]);
  const size: Datum[] = [];
  for (const p of points) {
    const sizes: [string, number | null][] = [
      ["bundle, gzip", p.bundleGzip],
      ["bundle, raw", p.bundleRaw],
      ["memory (heap + index.bin)", p.heap],
    ];
    for (const [series, bytes] of sizes) if (bytes !== null) size.push({ paragraphs: p.paragraphs, series, value: bytes / MIB });
  }
  const x = {
    field: "paragraphs",
    type: "quantitative",
    scale: {
      type: "log",
      domain: [Math.min(...points.map((p) => p.paragraphs)) / 1.4, Math.max(...points.map((p) => p.paragraphs)) * 1.4],
    },
    axis: { title: "paragraphs (log scale)", format: "~s", values: points.map((p) => p.size), grid: false },
  };
  const panel = (title: string, data: Datum[], axis: string, panelLimits: readonly Limit[]) => {
    const names = SERIES.filter((series) => data.some((d) => d.series === series.name));
    const rules = panelLimits.map((l) => ({ ...l }));
    return {
      title,
      width: WIDTH,
      height: 300,
      layer: [
        {
          data: { values: data },
          mark: { type: "line", point: true },
          encoding: {
            x,
            y: { field: "value", type: "quantitative", scale: { type: "log" }, axis: { title: axis } },
            // One legend for both: the same field, domain and legend settings.
            color: {
              field: "series",
              type: "nominal",
              scale: { domain: names.map((n) => n.name), range: names.map((n) => n.color) },
              legend,
            },
            strokeDash: {
              field: "series",
              type: "nominal",
              scale: { domain: names.map((n) => n.name), range: names.map((n) => (n.dashed ? [5, 3] : [1, 0])) },
              legend,
            },
          },
        },
        {
          data: { values: rules },
          mark: { type: "rule", strokeDash: [2, 2], color: "#b00" },
          encoding: { y: { field: "value", type: "quantitative" } },
        },
        {
          data: { values: rules },
          mark: { type: "text", align: "right", baseline: "bottom", dx: -3, dy: -2, color: "#b00", fontSize: 10 },
          encoding: { y: { field: "value", type: "quantitative" }, x: { value: WIDTH }, text: { field: "label" } },
        },
      ],
    };
  };
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "fundstelle: growth with the corpus", subtitle: "npm run bench:growth; limits dashed in red" },
    config: { font: "sans-serif", background: "white", view: { stroke: "#ddd" }, aria: false },
    hconcat: [
      panel(
        "Search time in process, startup CPU",
        time,
        "milliseconds (log scale)",
        limits.filter((l) => l.panel === "time"),
      ),
      panel(
        "Bundle and memory of one Worker",
        size,
        "MiB (log scale)",
        limits.filter((l) => l.panel === "size"),
      ),
    ],
    resolve: { scale: { color: "independent", strokeDash: "independent" } },
  };
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  // One image with one title: Vega's ARIA roles on the groups inside go (Biome, which lints SVG files, rejects them).
  const svg = (await view.toSVG()).replace(/ (role|aria-roledescription|aria-label)="[^"]*"/g, "");
  return svg.replace(/^<svg /, '<svg role="img" aria-labelledby="title" ').replace(/^(<svg[^>]*>)/, `$1<title id="title">${TITLE}</title>`);
}
