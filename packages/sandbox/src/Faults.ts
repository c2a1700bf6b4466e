/**
 * Fault injection settings: which transport and API failures the sandbox injects, and at
 * what rate. Parsed from the CLI form `"5xx=0.1,reset=0.02"`; decisions are seeded, so a
 * run with the same seed and request order fails the same requests.
 */
import * as Data from "effect/Data"
import * as Either from "effect/Either"

/** The injectable faults. */
export type FaultKind = "5xx" | "reset" | "truncate" | "429" | "scroll"

export const faultKinds: ReadonlyArray<FaultKind> = ["5xx", "reset", "truncate", "429", "scroll"]

/** Rates in [0, 1] per kind; a missing kind is never injected. */
export type FaultSpec = Readonly<Partial<Record<FaultKind, number>>>

export const none: FaultSpec = {}

/** A malformed `--faults` string. */
export class FaultSpecError extends Data.TaggedError("FaultSpecError")<{
  readonly input: string
  readonly reason: string
}> {
  override get message(): string {
    return `Invalid fault spec "${this.input}": ${this.reason}`
  }
}

const isKind = (s: string): s is FaultKind => (faultKinds as ReadonlyArray<string>).includes(s)

/** Parse `kind=rate` pairs separated by commas; an empty string means no faults. */
export const parseFaults = (input: string): Either.Either<FaultSpec, FaultSpecError> => {
  const spec: Partial<Record<FaultKind, number>> = {}
  const trimmed = input.trim()
  if (trimmed === "") return Either.right(spec)
  for (const pair of trimmed.split(",")) {
    const [rawKind, rawRate, ...rest] = pair.split("=")
    const kind = (rawKind ?? "").trim()
    const rateText = (rawRate ?? "").trim()
    if (rest.length > 0 || rateText === "") {
      return Either.left(new FaultSpecError({ input, reason: `expected kind=rate, got "${pair}"` }))
    }
    if (!isKind(kind)) {
      return Either.left(
        new FaultSpecError({ input, reason: `unknown fault "${kind}" (known: ${faultKinds.join(", ")})` })
      )
    }
    const rate = Number(rateText)
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
      return Either.left(new FaultSpecError({ input, reason: `rate of ${kind} must be a number in [0, 1]` }))
    }
    spec[kind] = rate
  }
  return Either.right(spec)
}

/** Render a spec back to its string form. */
export const formatFaults = (spec: FaultSpec): string =>
  faultKinds.flatMap((k) => (spec[k] === undefined ? [] : [`${k}=${spec[k]}`])).join(",")
