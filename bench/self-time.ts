// Where the time of a piece of code goes, by source file: a V8 CPU profile of this process (node:inspector) with
// each sample's time given to the file of the function it was in (its self time).
import { Session } from "node:inspector/promises";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(import.meta.dirname, "..");

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Runs `work` under the sampling profiler (every `intervalMicros`) and returns milliseconds of self time per
 * source file, as a path from the project root. A built-in (sort, JSON, a regular expression …) counts for the
 * file that called it; V8's own work is under its names, "(garbage collector)" and "(program)". Idle time and
 * the profiler's own start are left out.
 */
export async function selfTimeByFile(work: () => void, intervalMicros = 100): Promise<Map<string, number>> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: intervalMicros });
    await session.post("Profiler.start");
    work();
    const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parents = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
    const fileOf = (id: number): string => {
      let node = nodes.get(id);
      const name = node?.callFrame.functionName ?? "";
      if (node?.callFrame.url === "" && name.startsWith("(")) return name;
      while (node && node.callFrame.url === "") node = nodes.get(parents.get(node.id) ?? -1);
      if (!node) return "(program)";
      const url = node.callFrame.url;
      const path = url.startsWith("file:") ? fileURLToPath(url) : url;
      return path.startsWith(ROOT) ? relative(ROOT, path).split("\\").join("/") : path;
    };
    const ms = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const file = fileOf(id);
      if (file === "(idle)" || file.startsWith("node:inspector")) return;
      ms.set(file, (ms.get(file) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    return ms;
  } finally {
    session.disconnect();
  }
}
