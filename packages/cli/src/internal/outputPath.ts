/**
 * Checks a file the command will write (`--out`, `--failed-ids`, `--journal`) before any
 * request: otherwise a typo in the directory surfaces only when the job writes its first
 * page, or, for the failed-ids file, after every item has been done.
 *
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { dirname } from "node:path"
import * as Failure from "./cliFailure.js"

/**
 * Fails with a usage error unless `path` names a file (not a directory) in an existing
 * directory. With `replaced` (the file is written beside and renamed into place, or
 * removed: `--out`, `--journal`), only a regular file or none will do, since a device or
 * a pipe would be replaced; a file written in place (`--failed-ids /dev/stderr`) may be one.
 */
export const checkWritable = (
  flag: string,
  path: string,
  options: { readonly replaced: boolean }
): Effect.Effect<void, Failure.CliFailure, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const stat = (at: string) => Effect.option(fs.stat(at))
    if (path.trim() === "") return yield* Failure.usage(`${flag} names no file: give a path`)
    // `--out --json`: the parser took the next flag as the file name.
    if (path.startsWith("-") && path !== "-") {
      return yield* Failure.usage(`${flag} ${path} looks like a flag, not a file: give ${flag} a file name (for a file named so, write ./${path})`)
    }
    // Only --out takes "-" for stdout (and does not come here for it).
    if (path === "-") return yield* Failure.usage(`${flag} - would write a file named "-": name a file (only --out writes to stdout)`)
    const target = yield* stat(path)
    if (Option.isSome(target) && target.value.type === "Directory") {
      return yield* Failure.usage(`${flag} ${path} is a directory: name a file`)
    }
    if (options.replaced && Option.isSome(target) && target.value.type !== "File") {
      return yield* Failure.usage(`${flag} ${path} is not a regular file (a device or a pipe): name a file`)
    }
    const directory = dirname(path)
    const parent = yield* stat(directory)
    if (Option.isNone(parent)) return yield* Failure.usage(`${flag} ${path}: directory ${directory} does not exist`)
    if (parent.value.type !== "Directory") return yield* Failure.usage(`${flag} ${path}: ${directory} is not a directory`)
  })
