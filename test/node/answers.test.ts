// The API's answers to a fixed list of over 200 requests, byte for byte: a change meant to keep behaviour (a
// restructuring, a speed-up) must not change one. After an intended change: `npm run answers:update`, and read the
// diff of test/fixtures/answers/answers.json.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ANSWERS_FILE, type Answer, answerRequests, currentAnswers } from "./answers.js";

describe("the API's answers", () => {
  it("cover at least 200 requests over both corpora", () => {
    const requests = answerRequests();
    expect(requests.length).toBeGreaterThanOrEqual(200);
    expect(new Set(requests.map((r) => `${r.corpus} ${r.path}`)).size).toBe(requests.length);
  });

  it("are byte-identical to the recorded ones", async () => {
    const recorded = JSON.parse(readFileSync(ANSWERS_FILE, "utf8")) as Answer[];
    const current = await currentAnswers();
    expect(current.map((a) => `${a.corpus} ${a.path}`)).toEqual(recorded.map((a) => `${a.corpus} ${a.path}`));
    for (const [i, answer] of current.entries()) {
      const before = recorded[i];
      // One request at a time, so that a failure names it and shows the difference.
      expect({ path: answer.path, status: answer.status, body: answer.body }, `${answer.corpus} ${answer.path}`).toEqual({
        path: before?.path,
        status: before?.status,
        body: before?.body,
      });
    }
  });
});
