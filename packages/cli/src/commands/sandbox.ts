/**
 * `intercom-fx sandbox`: serves a seeded local Intercom workspace over HTTP, prints its
 * URL and (test) token, and runs until Ctrl-C, which closes it and exits 0. (The sandbox
 * itself is loaded only when the command runs.)
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Sandbox } from "@intercom-fx/sandbox"
import * as ExitCode from "../ExitCode.js"
import { describe } from "../internal/help.js"
import * as NamedValues from "../internal/namedValues.js"

/** The sandbox's own defaults (`Sandbox.defaults`), repeated here so `--help` need not load it. */
export const defaults = { host: "127.0.0.1", token: "sandbox-token", contacts: 5000, seed: 42, rateLimit: 1667 } as const

const count = (name: string, description: string) =>
  NamedValues.integer(name, { min: 0 }).pipe(Options.withDescription(description), Options.optional)

export const options = {
  port: NamedValues.integer("port", { min: 0, max: 65_535 }).pipe(Options.withDescription("Port to listen on (0: any free port)."), Options.withDefault(0)),
  host: Options.text("host").pipe(Options.withDescription("Interface to listen on."), Options.withDefault(defaults.host)),
  token: Options.text("token").pipe(
    Options.withDescription("The bearer token the sandbox accepts."),
    Options.withDefault(defaults.token)
  ),
  contacts: count("contacts", `Seeded contacts (default ${defaults.contacts}).`),
  companies: count("companies", "Seeded companies (default: contacts / 10)."),
  conversations: count("conversations", "Seeded conversations (default: contacts / 5)."),
  seed: NamedValues.integer("seed").pipe(Options.withDescription(`Seed of the generated data (default ${defaults.seed}).`), Options.optional),
  rateLimit: count("rate-limit", `Requests per 10-second window; 0 turns limiting off (default ${defaults.rateLimit}).`),
  latency: count("latency", "Added latency per request, in milliseconds."),
  faults: Options.text("faults").pipe(
    Options.withDescription("Injected faults as kind=rate pairs, e.g. 5xx=0.1,reset=0.02 (kinds: 5xx, reset, truncate, 429, scroll)."),
    Options.optional
  )
}

type Parsed = {
  readonly [K in keyof typeof options]: (typeof options)[K] extends Options.Options<infer A> ? A : never
}

/** The sandbox options from the flags (absent flags keep the sandbox's defaults). */
export const toSandboxOptions = (parsed: Parsed): Sandbox.SandboxOptions => {
  const some = <A, B>(value: Option.Option<A>, f: (a: A) => B): B | {} => Option.match(value, { onNone: () => ({}), onSome: f })
  return {
    port: parsed.port,
    host: parsed.host,
    token: parsed.token,
    ...some(parsed.contacts, (contacts) => ({ contacts })),
    ...some(parsed.companies, (companies) => ({ companies })),
    ...some(parsed.conversations, (conversations) => ({ conversations })),
    ...some(parsed.seed, (seed) => ({ seed })),
    ...some(parsed.rateLimit, (rateLimit) => ({ rateLimit })),
    ...some(parsed.latency, (latencyMs) => ({ latencyMs })),
    ...some(parsed.faults, (faults) => ({ faults }))
  }
}

export const command: Command.Command<"sandbox", never, Sandbox.SandboxError, Parsed> = Command.make("sandbox", options, (parsed) =>
  Effect.flatMap(Effect.promise(() => import("../run/sandbox.js")), (Sandbox) => Sandbox.run(toSandboxOptions(parsed)))).pipe(
    Command.withDescription(describe(
      "Run a seeded local Intercom 2.10 workspace over HTTP until Ctrl-C, which closes it and exits 0. " +
        "Point other commands at it with INTERCOM_BASE_URL and INTERCOM_ACCESS_TOKEN.",
      [
        "intercom-fx sandbox --port 4010 --token dev-token --contacts 10000",
        "intercom-fx sandbox --port 4010 --token dev-token --rate-limit 100 --faults 5xx=0.05,reset=0.01",
        "INTERCOM_BASE_URL=http://127.0.0.1:4010 INTERCOM_ACCESS_TOKEN=dev-token intercom-fx export contacts --limit 10"
      ],
      ExitCode.sandboxHelpText
    ))
  )
