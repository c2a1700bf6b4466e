/**
 * Choice and integer flags (and choice arguments) whose errors name the flag and the value
 * given. @effect/cli's own `choice` and `integer` reject a value with "Expected one of the
 * following cases: …" or "'abc' is not a integer", which leaves the user to guess which
 * flag was wrong. `--help` still shows the choices, as the flag's value name.
 */
import * as Args from "@effect/cli/Args"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"

const invalid = (line: string): ValidationError.ValidationError => ValidationError.invalidValue(HelpDoc.p(line))

const oneOf = <A extends string>(values: ReadonlyArray<A>, value: string): value is A => (values as ReadonlyArray<string>).includes(value)

/** `a, b or c` */
const alternatives = (values: ReadonlyArray<string>): string =>
  values.length < 2 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`

/** A flag that takes one of `values`. */
export const choice = <const A extends string>(name: string, values: ReadonlyArray<A>): Options.Options<A> =>
  Options.text(name).pipe(
    Options.withPseudoName(values.join(" | ")),
    Options.mapEffect((value) =>
      oneOf(values, value) ? Effect.succeed(value) : Effect.fail(invalid(`--${name} "${value}" is not allowed: use ${alternatives(values)}`))
    )
  )

/** A flag that takes a whole number, within `range` when given. */
export const integer = (name: string, range: { readonly min?: number; readonly max?: number } = {}): Options.Options<number> =>
  Options.text(name).pipe(
    Options.withPseudoName("integer"),
    Options.mapEffect((value) => {
      const number = Number(value)
      if (!/^\s*[+-]?\d+\s*$/.test(value) || !Number.isSafeInteger(number)) {
        return Effect.fail(invalid(`--${name} "${value}" is not a whole number`))
      }
      const { min, max } = range
      if ((min !== undefined && number < min) || (max !== undefined && number > max)) {
        const bounds = max === undefined ? `${min} or more` : min === undefined ? `${max} or less` : `from ${min} to ${max}`
        return Effect.fail(invalid(`--${name} ${value} is out of range: give a whole number ${bounds}`))
      }
      return Effect.succeed(number)
    })
  )

/** A positional argument that takes one of `values`. */
export const choiceArg = <const A extends string>(name: string, values: ReadonlyArray<A>): Args.Args<A> =>
  Args.text({ name }).pipe(
    Args.mapEffect((value) =>
      oneOf(values, value) ? Effect.succeed(value) : Effect.fail(HelpDoc.p(`unknown ${name} "${value}": use ${alternatives(values)}`))
    )
  )
