/**
 * Expected failures of a command and how they are shown: every one becomes ONE line on
 * stderr, `intercom-fx: <what to fix>`, and an exit code (see `ExitCode`). Defects print
 * a short line too, never a stack trace. No failure here carries the access token.
 */
import * as ValidationError from "@effect/cli/ValidationError"
import { IntercomConfig, IntercomError } from "@intercom-fx/core"
import { Bulk, Export, Paginate, Partition, QueryText, Search, Sink } from "@intercom-fx/streams"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as ExitCode from "./ExitCode.js"
import { CliFailure, oneLine } from "./internal/cliFailure.js"
import * as UsageError from "./internal/usageError.js"

export { CliFailure, failed, usage } from "./internal/cliFailure.js"

/** What to print (after `intercom-fx: `) and how to exit. */
export interface Rendered {
  readonly code: ExitCode.ExitCode
  readonly line: string
}

const queryLine = (error: QueryText.QueryTextError): string => {
  const near = error.input.slice(error.position, error.position + Math.max(1, error.length))
  return `invalid --query: ${error.detail} at column ${error.position + 1} (near "${near}")`
}

const intercomLine = (error: IntercomError.IntercomError): Rendered => {
  switch (error._tag) {
    case "Unauthorized":
      return {
        code: ExitCode.auth,
        line: `the workspace rejected the access token (401): check INTERCOM_ACCESS_TOKEN or --token-file (${oneLine(error.message)})`
      }
    case "Forbidden":
      return {
        code: ExitCode.auth,
        line: `the access token lacks permission for this (403): grant the app the needed scope (${oneLine(error.message)})`
      }
    case "TransportError":
      return {
        code: ExitCode.failedItems,
        line: error.reachedServer
          ? oneLine(error.message)
          : `${oneLine(error.message)}: check INTERCOM_BASE_URL (or INTERCOM_REGION) and the network`
      }
    default:
      return { code: ExitCode.failedItems, line: oneLine(error.message) }
  }
}

/**
 * Each problem's own message, joined. Effect's text wraps them in parentheses and
 * repeats the variable ("(Invalid data at INTERCOM_BASE_URL: "INTERCOM_BASE_URL is not a
 * URL: ...")"); the variable is named once, where the message does not already name it.
 */
const configLine = (error: ConfigError.ConfigError): string => {
  switch (error._op) {
    case "And":
      return `${configLine(error.left)}; ${configLine(error.right)}`
    case "Or":
      return `${configLine(error.left)}, or ${configLine(error.right)}`
    default: {
      const name = error.path.join(".")
      return name === "" || error.message.includes(name) ? error.message : `${name}: ${error.message}`
    }
  }
}

const usage2 = (line: string): Rendered => ({ code: ExitCode.usage, line })

const isTagged = (u: unknown, tag: string): boolean => Predicate.isTagged(u, tag)

/** Maps one expected error value to its line and exit code. */
export const renderError = (error: unknown): Rendered => {
  if (error instanceof CliFailure) return { code: error.code, line: oneLine(error.detail) }
  if (ValidationError.isValidationError(error)) return { code: ExitCode.usage, line: UsageError.line(error, [], []) }
  if (IntercomError.isIntercomError(error)) return intercomLine(error)
  if (error instanceof IntercomConfig.InvalidConfig) return { code: ExitCode.usage, line: oneLine(error.message) }
  if (ConfigError.isConfigError(error)) return { code: ExitCode.usage, line: `configuration: ${oneLine(configLine(error))}` }
  if (error instanceof QueryText.QueryTextError) return { code: ExitCode.usage, line: queryLine(error) }
  if (error instanceof Search.InvalidQuery) return { code: ExitCode.usage, line: `invalid --query: ${oneLine(error.detail)}` }
  if (error instanceof Export.ExportMismatch) {
    return usage2(
      `${error.journal} belongs to an export with other options or of another workspace: rerun it with the same options and token, or export without --resume`
    )
  }
  if (error instanceof Export.PartialMissing || error instanceof Partition.InvalidPartitionCursor) {
    return usage2(`the export's partial file or journal is damaged (${oneLine(error.message)}): export again without --resume`)
  }
  if (error instanceof Bulk.JournalMismatch) {
    return usage2(`the journal ${error.journal} belongs to another job or workspace: rerun that job's exact command with its token, or drop --resume`)
  }
  if (error instanceof Paginate.ScrollExpired || error instanceof Paginate.ScrollIncomplete) return { code: ExitCode.failedItems, line: oneLine(error.message) }
  if (error instanceof Sink.SinkError) {
    // Out of space is not a usage error: the command was right, and what it wrote is journaled.
    if (!error.outOfSpace) return { code: ExitCode.usage, line: oneLine(error.message) }
    const fix = error.detail.endsWith("(EFBIG)")
      ? "raise the file-size limit (ulimit -f)"
      : "free some space"
    return {
      code: ExitCode.failedItems,
      line: oneLine(`${error.message}: ${fix}, then rerun the same command with --resume (it starts afresh if nothing was kept)`)
    }
  }
  // By tag, not class: importing the sandbox to render an error would double the time to fail.
  if (isTagged(error, "SandboxError")) {
    return { code: ExitCode.usage, line: `sandbox: ${oneLine(error instanceof Error ? error.message : String(error))}` }
  }
  if (isTagged(error, "SystemError") || isTagged(error, "BadArgument")) {
    return { code: ExitCode.usage, line: oneLine(error instanceof Error ? error.message : String(error)) }
  }
  if (error instanceof Error) return { code: ExitCode.failedItems, line: oneLine(error.message) }
  return { code: ExitCode.failedItems, line: oneLine(String(error)) }
}

/** Maps the cause a command ended with; interruption wins (exit 4), then the first failure, then defects. */
export const renderCause = <E>(cause: Cause.Cause<E>): Rendered => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) return renderError(failure.value)
  if (Cause.isInterruptedOnly(cause)) return { code: ExitCode.interrupted, line: "interrupted" }
  const defect = Cause.dieOption(cause)
  const detail = Option.match(defect, {
    onNone: () => "unexpected failure",
    onSome: (value) => (value instanceof Error ? value.message : String(value))
  })
  return { code: ExitCode.failedItems, line: `internal error: ${oneLine(detail)}` }
}
