// Command line: npm run build:index [-- options]. The command is index-builder/command.ts; this runs it in the shell.
import { runBuildCommand, shellIo } from "./command.js";

process.exitCode = await runBuildCommand(process.argv.slice(2), shellIo());
