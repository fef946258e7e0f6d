// Command line: npm run crawl [-- URL… options]. The command is index-builder/crawl/command.ts; this runs it in the shell.
import { shellIo } from "../command.js";
import { runCrawlCommand } from "./command.js";

process.exitCode = await runCrawlCommand(process.argv.slice(2), shellIo());
