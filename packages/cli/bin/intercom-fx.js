#!/usr/bin/env node
// Committed launcher: npm links workspace bins at install time, before dist/ exists,
// so the linked file must be this executable stub rather than a build output.

// Loading the command takes a moment; a Ctrl-C or SIGTERM meanwhile would end the process
// with the shell's 130/143. Nothing has started yet, so end with the documented codes
// instead: 4 (interrupted), or 0 for `sandbox`, whose normal end is Ctrl-C. Once loaded,
// the command handles signals itself.
const args = process.argv.slice(2)
// The command is the first word that is not a flag or a root option's value (`--log-level info`).
const rootValues = new Set(["--log-level", "--completions"])
const sandbox = args.find((arg, i) => !arg.startsWith("-") && !rootValues.has(args[i - 1] ?? "")) === "sandbox"
const early = () => {
  if (!sandbox) process.stderr.write("intercom-fx: interrupted before the command started\n")
  process.exit(sandbox ? 0 : 4)
}
process.on("SIGINT", early)
process.on("SIGTERM", early)

import("../dist/bin.js").then(
  () => {
    process.off("SIGINT", early)
    process.off("SIGTERM", early)
  },
  (error) => {
    if (error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/bin.js")) {
      process.stderr.write("intercom-fx is not built yet: run `npm run build` first.\n")
      process.exit(2)
    }
    throw error
  }
)
