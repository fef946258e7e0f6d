// Command line: npm run build:index [-- options]. The command is index-builder/command.ts; this runs it in the shell.
import { runBuildCommand } from "./command.js";

process.exitCode = await runBuildCommand(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  progress: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY,
});
