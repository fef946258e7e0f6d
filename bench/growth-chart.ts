// The growth curve as an SVG chart, drawn with Vega-Lite and Vega (BSD-3-Clause, benchmark-only packages in
// bench/package.json) without a browser or native modules: search time, then size and memory against their limits.

/** One measured size: what the chart plots. */
export interface GrowthPoint {
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

/** The chart's SVG: two panels side by side over the paragraphs (log scale), with the limits as dashed rules. */
export async function growthChart(points: readonly GrowthPoint[], limits: readonly Limit[], script: string): Promise<string> {
  const { compile, parse, View } = await loadVega(script);
  const time = points.flatMap((p) => [
    { paragraphs: p.paragraphs, series: "paragraphs, p50", ms: p.paragraphsP50 },
    { paragraphs: p.paragraphs, series: "paragraphs, p99", ms: p.paragraphsP99 },
    { paragraphs: p.paragraphs, series: "paragraphs, p99 first time", ms: p.paragraphsColdP99 },
    { paragraphs: p.paragraphs, series: "pages, p50", ms: p.pagesP50 },
    { paragraphs: p.paragraphs, series: "pages, p99", ms: p.pagesP99 },
    { paragraphs: p.paragraphs, series: "pages, p99 first time", ms: p.pagesColdP99 },
    ...(p.startup === null ? [] : [{ paragraphs: p.paragraphs, series: "startup CPU", ms: p.startup }]),
  ]);
  const size: { paragraphs: number; series: string; mib: number }[] = [];
  for (const p of points) {
    const sizes: [string, number | null][] = [
      ["bundle, gzip", p.bundleGzip],
      ["bundle, raw", p.bundleRaw],
      ["isolate heap after load", p.heap],
    ];
    for (const [series, bytes] of sizes) if (bytes !== null) size.push({ paragraphs: p.paragraphs, series, mib: bytes / MIB });
  }
  const x = {
    field: "paragraphs",
    type: "quantitative",
    scale: { type: "log" },
    axis: { title: "paragraphs (log scale)", format: "~s", values: points.map((p) => p.paragraphs) },
  };
  const panel = (data: unknown[], field: string, title: string, panelLimits: readonly Limit[]) => ({
    width: 360,
    height: 280,
    layer: [
      {
        data: { values: data },
        mark: { type: "line", point: true },
        encoding: {
          x,
          y: { field, type: "quantitative", scale: { type: "log" }, axis: { title } },
          color: { field: "series", type: "nominal", legend: { orient: "bottom", columns: 2, title: null } },
          strokeDash: {
            condition: { test: "indexof(datum.series, 'first time') >= 0", value: [4, 3] },
            value: [1, 0],
          },
        },
      },
      {
        data: { values: panelLimits.map((l) => ({ ...l })) },
        mark: { type: "rule", strokeDash: [6, 4], color: "#b00" },
        encoding: { y: { field: "value", type: "quantitative" } },
      },
      {
        data: { values: panelLimits.map((l) => ({ ...l })) },
        mark: { type: "text", align: "left", dx: 4, dy: -6, color: "#b00", fontSize: 10 },
        encoding: { y: { field: "value", type: "quantitative" }, x: { value: 0 }, text: { field: "label" } },
      },
    ],
  });
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "fundstelle: growth with the corpus (bench/growth.ts)",
    config: { font: "sans-serif", background: "white" },
    hconcat: [
      panel(
        time,
        "ms",
        "milliseconds (log scale): search in process, startup CPU",
        limits.filter((l) => l.panel === "time"),
      ),
      panel(
        size,
        "mib",
        "MiB (log scale)",
        limits.filter((l) => l.panel === "size"),
      ),
    ],
    resolve: { scale: { color: "independent" } },
  };
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  return view.toSVG();
}
