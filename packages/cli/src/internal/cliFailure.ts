/**
 * The CLI's own failure value (cheap to load: `bin` needs it before any command runs).
 * `Failure` re-exports it with the rendering of every other error.
 */
import * as Schema from "effect/Schema"
import * as ExitCode from "../ExitCode.js"

/** A failure the CLI itself detected, with the line to print and the exit code. */
export class CliFailure extends Schema.TaggedError<CliFailure>()("CliFailure", {
  code: Schema.Literal(1, 2, 3, 4),
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail
  }
}

/** A usage or configuration problem (exit 2). */
export const usage = (detail: string): CliFailure => new CliFailure({ code: ExitCode.usage, detail })

/** The job could not finish (exit 1). */
export const failed = (detail: string): CliFailure => new CliFailure({ code: ExitCode.failedItems, detail })

export const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, " ").trim()
