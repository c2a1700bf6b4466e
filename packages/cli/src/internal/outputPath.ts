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
 * Fails with a usage error unless `path` names a file in an existing directory that is a
 * regular file or not there yet. Devices and pipes are refused: the command writes beside
 * the file and renames into place (or removes it), which would replace them.
 */
export const checkWritable = (flag: string, path: string): Effect.Effect<void, Failure.CliFailure, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const stat = (at: string) => Effect.option(fs.stat(at))
    if (path.trim() === "") return yield* Failure.usage(`${flag} names no file: give a path`)
    const target = yield* stat(path)
    if (Option.isSome(target) && target.value.type === "Directory") {
      return yield* Failure.usage(`${flag} ${path} is a directory: name a file`)
    }
    if (Option.isSome(target) && target.value.type !== "File") {
      return yield* Failure.usage(`${flag} ${path} is not a regular file (a device or a pipe): name a file`)
    }
    const directory = dirname(path)
    const parent = yield* stat(directory)
    if (Option.isNone(parent)) return yield* Failure.usage(`${flag} ${path}: directory ${directory} does not exist`)
    if (parent.value.type !== "Directory") return yield* Failure.usage(`${flag} ${path}: ${directory} is not a directory`)
  })
