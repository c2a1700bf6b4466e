/**
 * Reading a file the user named (`--ids`, `--token-file`), failing with a usage line that
 * says what is wrong with it in words, not the platform's error text.
 *
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type { PlatformError } from "@effect/platform/Error"
import * as Effect from "effect/Effect"
import * as Failure from "./cliFailure.js"

const problem = (flag: string, path: string, error: PlatformError): string => {
  if (error._tag === "SystemError") {
    if (error.reason === "NotFound") return `${flag} ${path} does not exist`
    if (error.reason === "PermissionDenied") return `${flag} ${path} cannot be read: permission denied`
  }
  if (/EISDIR/.test(error.message)) return `${flag} ${path} is a directory: name a file`
  return `cannot read ${flag} ${path}: ${error.message}`
}

/** The text of the file `flag` names. */
export const readText = (flag: string, path: string): Effect.Effect<string, Failure.CliFailure, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => Effect.mapError(fs.readFileString(path), (error) => Failure.usage(problem(flag, path, error))))
