// Command line: npm run crawl [-- URL… options]. The command is index-builder/crawl/command.ts; this runs it in the shell.
import { runCrawlCommand } from "./command.js";

process.exitCode = await runCrawlCommand(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  progress: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY,
});
