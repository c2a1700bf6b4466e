/**
 * Runs every example the way a user would (`tsx examples/<name>.ts`, each in its own
 * process and its own empty working directory, each against its own sandbox) and fails
 * if any of them fails.
 *
 * Run:   npm run examples        (builds the packages first: examples import them by name)
 *        npx tsx examples/run.ts  (after `npx tsc -b`)
 */
import { Command, FileSystem } from "@effect/platform"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"

/** Each example with the arguments the runner gives it. */
export const examples: ReadonlyArray<readonly [file: string, ...args: Array<string>]> = [
  ["export-csv.ts", "pro-users-2024.csv"],
  ["bulk-tag.ts"],
  ["dormant-contacts.ts"],
  ["http-service.ts"],
  ["incremental-sync.ts", "sync-state"],
  ["error-handling.ts"]
]

const tsx = import.meta.resolve("tsx") // --import needs a URL when the working directory is elsewhere

const runOne = ([file, ...args]: readonly [string, ...Array<string>]) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const cwd = yield* fs.makeTempDirectoryScoped({ prefix: "intercom-fx-example-" })
    yield* Console.log(`\n▶ ${file} ${args.join(" ")}`)
    const start = Date.now()
    const code = yield* Command.make(process.execPath, "--import", tsx, `${import.meta.dirname}/${file}`, ...args).pipe(
      Command.workingDirectory(cwd),
      Command.stdout("inherit"),
      Command.stderr("inherit"),
      // Every example runs on its own sandbox, even if the caller's shell has a real token.
      Command.env({ INTERCOM_ACCESS_TOKEN: "" }),
      Command.exitCode
    )
    yield* Console.log(`${code === 0 ? "✔" : "✘"} ${file} (exit ${code}, ${((Date.now() - start) / 1000).toFixed(1)} s)`)
    return code === 0
  }).pipe(Effect.scoped)

const main = Effect.gen(function*() {
  const results = yield* Effect.forEach(examples, runOne) // one at a time: readable output
  const failed = examples.filter((_, i) => !results[i]).map(([file]) => file)
  if (failed.length > 0) return yield* Effect.fail(new Error(`examples failed: ${failed.join(", ")}`))
  yield* Console.log(`\nall ${examples.length} examples passed`)
})

if (process.argv[1] === import.meta.filename) {
  main.pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain)
}
