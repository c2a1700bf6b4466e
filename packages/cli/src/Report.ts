/**
 * The end-of-command summary: a short human text on stderr, or with `--json` one JSON
 * object (on stdout, or on stderr when stdout carries the exported data).
 */
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"

export const jsonOption = Options.boolean("json").pipe(
  Options.withDescription("Print a machine-readable JSON summary instead of the human one.")
)

export type Summary = Readonly<Record<string, unknown>>

/** What a command hands back to be reported. */
export interface Outcome {
  readonly summary: Summary
  readonly human: ReadonlyArray<string>
}

const write = (stream: NodeJS.WriteStream, text: string) =>
  Effect.async<void>((resume) => {
    stream.write(text, () => resume(Effect.void))
  })

/** Prints the summary; `stdoutBusy` when stdout carries data (export to `-`). */
export const emit = (options: {
  readonly json: boolean
  readonly stdoutBusy: boolean
  readonly summary: Summary
  readonly human: ReadonlyArray<string>
}): Effect.Effect<void> =>
  options.json
    ? write(options.stdoutBusy ? process.stderr : process.stdout, `${JSON.stringify(options.summary)}\n`)
    : write(process.stderr, options.human.map((line) => `${line}\n`).join(""))

/** A line on stderr (notes, warnings, how to resume). */
export const note = (text: string): Effect.Effect<void> => write(process.stderr, `${text}\n`)
