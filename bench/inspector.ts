// A minimal DevTools-protocol client for the Worker isolate behind `wrangler dev --inspector-port`: reads the
// isolate's V8 heap, so benchmarks measure the Worker's own memory rather than the whole local runtime's.
import WebSocket from "ws";

export interface HeapUsage {
  /** Bytes of live and not yet collected objects on the isolate's V8 heap. */
  used: number;
  /** Bytes the heap has reserved. */
  total: number;
}

export interface Inspector {
  /** The heap now, without forcing a collection (cheap; fine while under load). */
  heapUsage(): Promise<HeapUsage>;
  /**
   * The heap after a full garbage collection: the memory the isolate really holds. workerd has no
   * `HeapProfiler.collectGarbage`, but taking a heap snapshot collects first; the snapshot itself is discarded.
   * Pauses the isolate for about a second.
   */
  heapAfterGc(): Promise<HeapUsage>;
  close(): void;
}

const TIMEOUT_MS = 60_000;

/** Connects to the first target that `wrangler dev`'s inspector lists on the given loopback port. */
export async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`the inspector on port ${port} lists no Worker`);
  const socket = new WebSocket(url, { maxPayload: 1 << 30 });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting || message.id === undefined) return; // events (snapshot chunks, console) are not needed
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}): Promise<unknown> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the inspector did not answer ${method} within ${TIMEOUT_MS / 1000} s`));
      }, TIMEOUT_MS);
      pending.set(id, {
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  };
  const heapUsage = async (): Promise<HeapUsage> => {
    const result = (await call("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
    return { used: result.usedSize, total: result.totalSize };
  };
  return {
    heapUsage,
    async heapAfterGc() {
      await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      return heapUsage();
    },
    close: () => socket.close(),
  };
}
