/**
 * Typed error handling: every call says in its type how it can fail (`IntercomError`), so
 * each failure gets the recovery it deserves with `Effect.catchTag`:
 *
 *   NotFound      -> "absent" is an answer, not an error: `Option.none()`
 *   Unauthorized  -> nothing to retry: stop with a message that says what to fix
 *   RateLimited   -> a caller who cannot wait gets the cached value and when to come back
 *
 * For: developers deciding what their code does when Intercom says no.
 *
 * Run:   npx tsx examples/error-handling.ts
 * Real:  INTERCOM_ACCESS_TOKEN=… npx tsx examples/error-handling.ts
 *        (the 429 is provoked with the sandbox's fault knob, so against a real workspace
 *        that part is skipped)
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Contacts, Intercom, IntercomClient, IntercomConfig } from "@intercom-fx/core"
import { Sandbox } from "@intercom-fx/sandbox"
import { Clock, Config, Console, Data, Effect, Layer, Option, Redacted } from "effect"
import * as Workspace from "./workspace.js"

// ---- NotFound: a lookup that may miss ----

/** The contact, or none when Intercom has no such id. Other failures stay failures. */
export const findContact = (id: string) =>
  Effect.flatMap(Contacts, (contacts) => contacts.get(id)).pipe(
    Effect.map(Option.some),
    Effect.catchTag("NotFound", () => Effect.succeedNone)
  )

// ---- Unauthorized: fail with what to do about it ----

/** Our app's own error: the token is wrong, and the message says what to fix. */
export class TokenRejected extends Data.TaggedError("TokenRejected")<{ readonly requestId: string | undefined }> {
  override get message() {
    return "Intercom rejected INTERCOM_ACCESS_TOKEN: create a new access token in your Intercom app's " +
      `Authentication settings${this.requestId ? ` (request_id ${this.requestId})` : ""}`
  }
}

/** Who the token belongs to; a 401 becomes `TokenRejected` (401s are never retried). */
export const whoAmI = Effect.flatMap(IntercomClient.IntercomClient, (client) => client.request({ method: "GET", path: "/me" })).pipe(
  Effect.catchTag("Unauthorized", (error) => Effect.fail(new TokenRejected({ requestId: error.requestId })))
)

/** The same client configuration with another token: here a revoked one. */
const withToken = (token: string) =>
  IntercomClient.layerWith(
    IntercomConfig.layerConfig(IntercomConfig.config.pipe(Config.map((config) => ({ ...config, accessToken: Redacted.make(token) }))))
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

// ---- RateLimited: don't wait, serve what we have ----

export interface Dashboard {
  readonly email: string | null | undefined
  /** False when served from the cache because Intercom asked us to slow down. */
  readonly fresh: boolean
  /** When to ask again (epoch ms), if rate-limited. */
  readonly retryAt?: number
}

/**
 * A dashboard tile that must answer now: one attempt (`maxAttempts: 1` turns off the
 * client's wait-for-the-reset), and on 429 the last value we had plus when to try again.
 * (Batch jobs should do the opposite: keep the defaults and let the client wait.)
 */
export const dashboardEmail = (id: string, cache: Map<string, string | null | undefined>) =>
  Effect.flatMap(Contacts, (contacts) => contacts.get(id, { maxAttempts: 1 })).pipe(
    Effect.tap((contact) => Effect.sync(() => cache.set(id, contact.email))),
    Effect.map((contact): Dashboard => ({ email: contact.email, fresh: true })),
    Effect.catchTag("RateLimited", (error) =>
      Effect.map(Clock.currentTimeMillis, (now): Dashboard => ({
        email: cache.get(id),
        fresh: false,
        retryAt: error.resetAt ?? now + (error.retryAfter ?? 10) * 1000
      })))
  )

// ---- the program ----

export const program = Effect.gen(function*() {
  const sandbox = yield* Workspace.LocalSandbox

  // NotFound
  const missing = yield* findContact("no-such-contact")
  yield* Console.log(`NotFound     -> ${Option.isNone(missing) ? "none (absent, as expected)" : "found?!"}`)

  // Unauthorized: the same call through a client with a revoked token.
  const rejected = yield* whoAmI.pipe(Effect.provide(withToken("revoked-token")), Effect.flip)
  yield* Console.log(`Unauthorized -> ${rejected._tag}: ${rejected.message}`)

  // RateLimited: one good answer fills the cache, then the workspace gets busy.
  const first = yield* Effect.flatMap(Contacts, (contacts) => contacts.list({ per_page: 1 }))
  const id = first.data?.[0]?.id ?? ""
  const cache = new Map<string, string | null | undefined>()
  const warm = yield* dashboardEmail(id, cache)
  const limited = yield* Option.match(sandbox, {
    onNone: () => Effect.succeedNone,
    onSome: (info) => {
      // Stand-in for a busy workspace: the sandbox answers every request with 429 until reset.
      const faults = (spec: string) => Sandbox.configure(info, { faults: spec }).pipe(Effect.provide(NodeHttpClient.layerUndici))
      return faults("429=1").pipe(
        Effect.zipRight(dashboardEmail(id, cache)),
        Effect.ensuring(Effect.orDie(faults(""))),
        Effect.map(Option.some)
      )
    }
  })
  yield* Console.log(
    Option.match(limited, {
      onNone: () => "RateLimited  -> skipped (needs the local sandbox's fault knob)",
      onSome: (tile) =>
        `RateLimited  -> served ${tile.fresh ? "fresh" : "cached"} ${tile.email}` +
        (tile.retryAt === undefined ? "" : `, ask again after ${new Date(tile.retryAt).toISOString()}`)
    })
  )
  return { missing, rejected, warm, limited }
})

/** The resource services over a client configured from Config. */
export const MainLive = Intercom.layer.pipe(
  Layer.provideMerge(IntercomClient.layerConfig()),
  Layer.provide(NodeHttpClient.layerUndici),
  Layer.provideMerge(Workspace.layer({ contacts: 100 }))
)

// Run as a program (not when imported, e.g. by examples.test.ts).
if (process.argv[1] === import.meta.filename) {
  program.pipe(Effect.provide(MainLive), NodeRuntime.runMain)
}
