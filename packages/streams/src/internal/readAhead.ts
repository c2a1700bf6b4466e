/**
 * Cursor pages with the next page's request sent while a page is parsed.
 *
 * Each page carries the cursor of the next, so pages come one at a time; what can overlap
 * is a page's parse (`JSON.parse` and the schema check: about 2 ms for 150 contacts) and
 * the next page's round trip. When a body has arrived (`CallOptions.onBody`), its next
 * cursor is read off the end of the raw text (`peekNextCursor`) and that page's request
 * started in the background; the parse then waits two turns of the event loop so that
 * the request is on the wire before the parse takes the thread. Once the page is parsed,
 * the next pull checks the guess against the real cursor: a wrong guess is interrupted
 * and the right page asked for, so the guess changes timing only, never what is read.
 *
 * At most one page is fetched ahead, and it is not parsed (nor is the page after it asked
 * for) until the stream is pulled for it: memory stays at one page and one body, and a
 * slow consumer still slows the requests down.
 *
 * @internal
 */
import type { IntercomClient } from "@intercom-fx/core"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import * as Stream from "effect/Stream"
import type { Page } from "../Paginate.js"

/** Fetches the page at a cursor (none: the first), passing `call` on to the client. */
export type FetchPage<A, E, R> = (
  cursor: Option.Option<string>,
  call: IntercomClient.CallOptions
) => Effect.Effect<Page<A, string>, E, R>

/**
 * A page fetched ahead. The page is handed over through `fetched`, emptied when taken,
 * not as the fiber's result: a fiber that a young-generation collection has moved to the
 * old generation is only freed by a full collection, and until then it would keep its
 * result alive, so every page would be copied into the old generation too (exporting
 * 1,000,000 contacts: peak RSS +35 MB).
 */
interface Ahead<A, E> {
  readonly cursor: string
  readonly fiber: Fiber.RuntimeFiber<void, E>
  /** Completed when the stream is pulled for this page: until then it stays unparsed. */
  readonly pulled: Deferred.Deferred<void>
  readonly fetched: { page?: Page<A, string> }
}

/** The pages from `start` on, each next page's request sent while its predecessor is parsed. */
export const cursorPages = <A, E, R>(fetchPage: FetchPage<A, E, R>, start: Option.Option<string>): Stream.Stream<Page<A, string>, E, R> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    // Pages fetched ahead run as fibers of the stream's own runtime, not as children of the
    // fiber that fetched the page before: a chain of forks grows every fiber ref's history
    // by one entry per page (1,000,000 contacts took minutes of CPU).
    const runtime = yield* Effect.runtime<R>()
    let ahead: Ahead<A, E> | undefined
    let closed = false

    const dropAhead = Effect.suspend(() => {
      const dropped = ahead
      ahead = undefined
      return dropped === undefined ? Effect.void : Fiber.interruptFork(dropped.fiber)
    })
    // At the end, the page fetched ahead is interrupted and waited for: nothing of the
    // stream's is left running once it is done.
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() => {
        closed = true
        const left = ahead
        ahead = undefined
        return left === undefined ? Effect.void : Fiber.interrupt(left.fiber)
      })
    )

    const fetch = (cursor: Option.Option<string>, untilPulled: Deferred.Deferred<void> | undefined) =>
      fetchPage(cursor, { onBody: (body) => sendNext(cursor, untilPulled, body) })

    const sendNext = (current: Option.Option<string>, untilPulled: Deferred.Deferred<void> | undefined, body: Uint8Array) =>
      Effect.gen(function*() {
        if (untilPulled !== undefined) yield* Deferred.await(untilPulled)
        const guess = peekNextCursor(body)
        if (closed || guess === undefined || Option.contains(current, guess) || ahead?.cursor === guess) return
        yield* dropAhead
        const pulled = yield* Deferred.make<void>()
        const fetched: Ahead<A, E>["fetched"] = {}
        const fiber = Runtime.runFork(runtime)(
          Effect.map(fetch(Option.some(guess), pulled), (page) => {
            fetched.page = page
          })
        )
        ahead = { cursor: guess, fiber, pulled, fetched }
        yield* requestLeaves
      })

    const take = (taken: Ahead<A, E>): Effect.Effect<Page<A, string>, E> =>
      Effect.zipRight(
        Deferred.succeed(taken.pulled, undefined),
        Effect.flatMap(Fiber.await(taken.fiber), (exit) => {
          const page = taken.fetched.page
          delete taken.fetched.page
          if (Exit.isFailure(exit)) return Exit.failCause(exit.cause)
          return page === undefined ? Effect.dieMessage("a page fetched ahead ended without its page") : Effect.succeed(page)
        })
      ).pipe(Effect.onInterrupt(() => Fiber.interrupt(taken.fiber)))

    const step = (cursor: Option.Option<string>): Effect.Effect<Page<A, string>, E, R> =>
      Effect.suspend(() => {
        const taken = ahead
        if (taken !== undefined && Option.contains(cursor, taken.cursor)) {
          // Cleared before the page is parsed: its own `sendNext` sets the next one.
          ahead = undefined
          return take(taken)
        }
        return Effect.zipRight(dropAhead, fetch(cursor, undefined))
      })

    return Stream.paginateEffect(start, (cursor) =>
      Effect.map(step(cursor), (page) => [page, Option.map(page.next, Option.some)] as const))
  }))

/**
 * The `starting_after` of the `pages` member at the end of a raw list body, found without
 * parsing it: a guess, checked once the page is parsed.
 */
export const peekNextCursor = (body: Uint8Array): string | undefined => {
  const tail = utf8.decode(body.subarray(Math.max(0, body.length - 512)))
  const at = tail.lastIndexOf("\"pages\"")
  if (at < 0) return undefined
  return /"starting_after"\s*:\s*"([^"\\]+)"/.exec(tail.slice(at))?.[1]
}

const utf8 = new TextDecoder()

/**
 * Two turns of the event loop: undici writes a request on a reused keep-alive socket only
 * one `setImmediate` after it is made (it first checks that the server has not closed the
 * socket), so a parse started at once would hold the request back until it ends.
 */
const requestLeaves: Effect.Effect<void> = Effect.async<void>((resume) => {
  const turn = typeof setImmediate === "function" ? setImmediate : (f: () => void) => setTimeout(f, 0)
  turn(() => turn(() => resume(Effect.void)))
})
