import { describe, expect, it } from "@effect/vitest"
import { Endpoints, IntercomClient, type Schemas } from "@intercom-fx/core"
import { Sandbox } from "@intercom-fx/sandbox"
import { Chunk, Deferred, Effect, FiberId, Stream } from "effect"
import { Contacts, Paginate } from "../src/index.js"
import { peekNextCursor } from "../src/internal/readAhead.js"
import { idsOf, sandboxLayer } from "./helpers.js"

const CONTACTS = 230
const PER_PAGE = 50
const text = new TextEncoder()

/** Lets the event loop turn a few times (no timer: the request under test uses sockets only). */
const turns = Effect.async<void>((resume) => {
  setImmediate(() => setImmediate(() => setImmediate(() => resume(Effect.void))))
})

/**
 * Contacts page by page through `Paginate.cursorPages`, with what happened in order:
 * `request <cursor>` when a page is asked for, `body <cursor>` when its body is in, and
 * `emit <n>` when the stream hands out its n-th page. `rewrite` can change the body the
 * read-ahead sees (not the one that is parsed).
 */
const recorded = (rewrite: (body: Uint8Array) => Uint8Array = (body) => body) => {
  const events: Array<string> = []
  const bodies = new Map<string, Deferred.Deferred<void>>()
  const arrived = (cursor: string) => {
    const known = bodies.get(cursor)
    if (known !== undefined) return known
    const made = Deferred.unsafeMake<void>(FiberId.none)
    bodies.set(cursor, made)
    return made
  }
  let emitted = 0
  const stream = Paginate.cursorPages({
    fetch: (params, call) => {
      const cursor = params.starting_after ?? "first"
      events.push(`request ${cursor}`)
      return Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        client.execute(Endpoints.Contacts.list, { query: params }, {
          onBody: (body) =>
            Effect.zipRight(
              Effect.sync(() => events.push(`body ${cursor}`)).pipe(Effect.zipRight(Deferred.succeed(arrived(cursor), undefined))),
              call?.onBody?.(rewrite(body)) ?? Effect.void
            )
        }))
    },
    items: (response: Schemas.ContactList) => (response.data ?? []).filter((item) => item !== null),
    perPage: PER_PAGE
  }).pipe(Stream.tap(() => Effect.sync(() => events.push(`emit ${++emitted}`))))
  return { stream, events, arrived } as const
}

describe("cursor read-ahead", () => {
  it("peekNextCursor reads the cursor of a list body's trailing pages member, and only that", () => {
    const page = (pages: string) => text.encode(`{"type":"list","data":[{"id":"1","name":"x"}],"total_count":9,"pages":${pages}}`)
    expect(peekNextCursor(page(`{"type":"pages","next":{"page":2,"starting_after":"WzE2OV0="},"page":1,"per_page":1}`))).toBe("WzE2OV0=")
    expect(peekNextCursor(page(`{"type":"pages","next":null,"page":9}`))).toBeUndefined()
    expect(peekNextCursor(page(`{"type":"pages","next":"https://api.intercom.io/contacts?starting_after=abc"}`))).toBeUndefined()
    expect(peekNextCursor(text.encode(`{"data":[{"custom":{"starting_after":"nope"}}]}`))).toBeUndefined()
    expect(peekNextCursor(new Uint8Array())).toBeUndefined()
  })

  it.live("sends each next page's request before the page is handed out, and reads every contact once, in order", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const reference = idsOf(yield* Stream.runCollect(Paginate.items(Contacts.pages({ perPage: PER_PAGE }))))
      expect(reference.length).toBe(CONTACTS)

      const before = yield* Sandbox.stats(info)
      const { events, stream } = recorded()
      const pages = Chunk.toReadonlyArray(yield* Stream.runCollect(stream))
      const after = yield* Sandbox.stats(info)

      expect(pages.flatMap((page) => idsOf(page.items))).toEqual(reference)
      // 5 pages, 5 requests: the last page names no next page, so none is guessed.
      expect((after.byRoute["GET /contacts"] ?? 0) - (before.byRoute["GET /contacts"] ?? 0)).toBe(5)
      const requests = events.filter((event) => event.startsWith("request "))
      expect(requests.length).toBe(5)
      for (let n = 1; n < 5; n++) {
        expect(events.indexOf(requests[n]!)).toBeLessThan(events.indexOf(`emit ${n}`))
      }
    }).pipe(Effect.provide(sandboxLayer({ contacts: CONTACTS, seed: 21, rateLimit: 0 }))))

  it.live("a page fetched ahead waits for the stream to be pulled before the next is asked for", () =>
    Effect.gen(function*() {
      const { arrived, events, stream } = recorded()
      const pull = yield* Stream.toPull(stream)
      yield* pull
      const second = events.filter((event) => event.startsWith("request "))[1]!.slice("request ".length)
      yield* Deferred.await(arrived(second))
      yield* turns
      // The second page is in, but nobody asked for it yet: no third request.
      expect(events.filter((event) => event.startsWith("request ")).length).toBe(2)
      yield* pull
      expect(events.filter((event) => event.startsWith("request ")).length).toBe(3)
    }).pipe(Effect.scoped, Effect.provide(sandboxLayer({ contacts: CONTACTS, seed: 22, rateLimit: 0 }))))

  it.live("a wrong guess is dropped and the right page read instead", () =>
    Effect.gen(function*() {
      const reference = idsOf(yield* Stream.runCollect(Paginate.items(Contacts.pages({ perPage: PER_PAGE }))))
      // The read-ahead sees a cursor that is not the page's: it must not be what is read next.
      const decoy = (body: Uint8Array) => {
        const raw = new TextDecoder().decode(body)
        const at = raw.lastIndexOf(`"starting_after":"`)
        if (at < 0) return body
        const end = raw.indexOf(`"`, at + `"starting_after":"`.length)
        return text.encode(`${raw.slice(0, at)}"starting_after":"decoy${raw.slice(end)}`)
      }
      const { events, stream } = recorded(decoy)
      const pages = Chunk.toReadonlyArray(yield* Stream.runCollect(stream))
      expect(pages.flatMap((page) => idsOf(page.items))).toEqual(reference)
      expect(events.filter((event) => event === "request decoy").length).toBeGreaterThan(0)
    }).pipe(Effect.provide(sandboxLayer({ contacts: CONTACTS, seed: 23, rateLimit: 0 }))))

  it.live("a stream ended early leaves no request of its own running", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      yield* Sandbox.configure(info, { latencyMs: 300 })
      let interrupted = 0
      const first = yield* Paginate.cursorPages({
        fetch: (params, call) =>
          Effect.flatMap(IntercomClient.IntercomClient, (client) => client.execute(Endpoints.Contacts.list, { query: params }, call)).pipe(
            Effect.onInterrupt(() => Effect.sync(() => interrupted++))
          ),
        items: (response: Schemas.ContactList) => response.data ?? [],
        perPage: PER_PAGE
      }).pipe(Stream.take(1), Stream.runCollect)
      expect(Chunk.size(first)).toBe(1)
      // The second page's request was on its way (300 ms) when the stream ended.
      expect(interrupted).toBe(1)
    }).pipe(Effect.provide(sandboxLayer({ contacts: CONTACTS, seed: 24, rateLimit: 0 }))))
})
