// Where the time of a piece of code goes, by source file: a V8 CPU profile of this process (node:inspector) with
// each sample's time given to the file of the function it was in (its self time).
import { Session } from "node:inspector/promises";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(import.meta.dirname, "..");

interface Profile {
  nodes: { id: number; callFrame: { url: string; functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Runs `work` under the sampling profiler (every `intervalMicros`) and returns milliseconds of self time per
 * source file, as a path from the project root; V8's own work under its names ("(garbage collector)",
 * "(program)", "(built-ins)" for sort, JSON, regular expressions …); "(idle)" is left out.
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
    const files = new Map(profile.nodes.map((node) => [node.id, fileOf(node.callFrame)]));
    const ms = new Map<string, number>();
    profile.samples.forEach((node, i) => {
      const file = files.get(node);
      if (file === undefined || file === "(idle)") return;
      ms.set(file, (ms.get(file) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    return ms;
  } finally {
    session.disconnect();
  }
}

function fileOf(frame: { url: string; functionName: string }): string {
  // V8's own entries: "(garbage collector)", "(program)", "(idle)"; built-ins (sort, JSON, RegExp …) have no file.
  if (frame.url === "") return frame.functionName.startsWith("(") ? frame.functionName : "(built-ins)";
  const path = frame.url.startsWith("file:") ? fileURLToPath(frame.url) : frame.url;
  return path.startsWith(ROOT) ? relative(ROOT, path).split("\\").join("/") : path;
}
