// npm run answers:update: records the API's current answers to the fixed requests of test/node/answers.ts, after a
// change that is meant to change them. Read the diff before committing it.
import { writeFileSync } from "node:fs";
import { ANSWERS_FILE, currentAnswers } from "../test/node/answers.js";

const answers = await currentAnswers();
writeFileSync(ANSWERS_FILE, `${JSON.stringify(answers, null, 1)}\n`);
console.log(`Recorded ${answers.length} answers in ${ANSWERS_FILE}`);
