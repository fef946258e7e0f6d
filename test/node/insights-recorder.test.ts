// The insights recorder's daily bound: each new row is a database write, so one isolate adds at most a set number a
// day (INSIGHTS_MAX_ROWS_PER_DAY) and counts what it drops; a flood of distinct queries cannot use up D1's writes.
import { describe, expect, it, vi } from "vitest";
import { InsightsRecorder } from "../../worker/insights/store.js";

const search = (day: string, key: string) => ({ type: "search" as const, day, key, text: key, zero: false });

describe("the insights recorder", () => {
  it("adds at most maxRowsPerDay new rows a day, drops and counts the rest, and starts afresh the next day", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const recorder = new InsightsRecorder();
    for (let i = 0; i < 5; i++) expect(recorder.add(search("2026-12-07", `q${i}`), 3)).toBe(true);
    expect(recorder).toMatchObject({ pending: 3, rowsToday: 3, dropped: 2 });
    // A query that has its row already still counts: no new write.
    expect(recorder.add(search("2026-12-07", "q0"), 3)).toBe(true);
    expect(recorder).toMatchObject({ pending: 3, dropped: 2 });
    expect(recorder.add({ type: "choice", day: "2026-12-07", key: "q0", doc: "a/b", anchor: "" }, 3)).toBe(true);
    expect(recorder).toMatchObject({ pending: 3, dropped: 3 });
    expect(recorder.add(search("2026-12-08", "neu"), 3)).toBe(true);
    expect(recorder).toMatchObject({ pending: 4, rowsToday: 1, dropped: 0 });
    expect(warn.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      { event: "insights_rows_dropped", day: "2026-12-07", message: "over 3 new rows today" },
      { event: "insights_rows_dropped", day: "2026-12-07", dropped: 3 },
    ]);
    warn.mockRestore();
  });
});
