/**
 * The scroll's proof of completeness: `ScrollChain` on its own, then `Paginate.scroll`
 * against a scripted in-memory scroll server that loses, breaks and refuses exactly the
 * requests named by a test (the sandbox tests in reliability-faults.test.ts do the same
 * over real sockets with seeded faults). Time is the TestClock, moved only while the
 * scroll waits on it.
 */
import { describe, expect, it } from "@effect/vitest"
import { IntercomError } from "@intercom-fx/core"
import { Cause, Chunk, Effect, Exit, Option, Stream } from "effect"
import { Paginate } from "../src/index.js"
import { orThrow, runOnTestClock } from "./scroll-support.js"

const { END, START } = Paginate.ScrollChain

describe("ScrollChain", () => {
  it("a pass with a lost page is not complete; a second pass closes the gap", () => {
    const chain = new Paginate.ScrollChain()
    // pass 1: A, B, (C lost), D, end
    expect(chain.link(START, "A")).toBe(true)
    expect(chain.link("A", "B")).toBe(true)
    // B → D came after a failure that may have lost a page: not linked
    expect(chain.link("D", END)).toBe(true)
    expect(chain.walk()).toEqual({ pages: 2, complete: false })
    chain.newPass()
    // pass 2: A, B, C, then D closes it
    expect(chain.link(START, "A")).toBe(false)
    expect(chain.link("A", "B")).toBe(false)
    expect(chain.link("B", "C")).toBe(true)
    expect(chain.complete).toBe(false)
    expect(chain.link("C", "D")).toBe(true)
    expect(chain.walk()).toEqual({ pages: 4, complete: true })
  })

  it("an empty scroll is complete on its end page alone", () => {
    const chain = new Paginate.ScrollChain()
    expect(chain.complete).toBe(false)
    chain.link(START, END)
    expect(chain.complete).toBe(true)
  })

  it("a changed order drops the earlier passes' links instead of mixing them", () => {
    const chain = new Paginate.ScrollChain()
    chain.link(START, "A")
    chain.link("A", "B")
    chain.link("C", END) // pass 1 lost the link B → C
    chain.newPass()
    chain.link(START, "A")
    chain.link("A", "X") // A's successor changed: the order is not the one pass 1 saw
    expect(chain.conflicts).toBe(1)
    chain.link("X", "C")
    // C → END was pass 1's: dropped, so this does not count as complete
    expect(chain.complete).toBe(false)
    chain.link("C", END)
    expect(chain.walk()).toEqual({ pages: 3, complete: true })
  })

  it("page keys tell pages with the same ends but other contents apart", () => {
    expect(Paginate.scrollPageKey(["a", "b", "c"])).not.toBe(Paginate.scrollPageKey(["a", "x", "c"]))
    expect(Paginate.scrollPageKey(["a", "b", "c"])).toBe(Paginate.scrollPageKey(["a", "b", "c"]))
    expect(Paginate.scrollPageKey(["ab", "c"])).not.toBe(Paginate.scrollPageKey(["a", "bc"]))
  })
})

// ---------------------------------------------------------------------------------------
// A scripted scroll server: the sandbox's scroll rules, faults by request number.

type Fault =
  | "lost" // the server answers (and advances), the response never arrives
  | "5xx" // a 503 before the server looks at the request
  | "restart" // the documented "Please restart the scroll operation." 500; the scroll is dead
  | "refused" // the connection is refused: the request never reached the server

interface Item {
  readonly id: string
}
interface Response {
  readonly data: ReadonlyArray<Item>
  readonly scroll_param?: string
}

const site = { operation: "companies.scroll", method: "GET", path: "/companies/scroll" }
const item = (code: string, message: string) => new IntercomError.ErrorItem({ code, message })

const scriptedServer = (total: number, perPage: number, faults: (n: number) => Fault | undefined) => {
  const ids = Array.from({ length: total }, (_, i) => `c${i}`)
  let open: { param: string; position: number } | undefined
  let scrolls = 0
  const log: Array<{ readonly n: number; readonly start: boolean; readonly fault?: Fault }> = []
  const fetch = (param: Option.Option<string>): Effect.Effect<Response, IntercomError.IntercomError> =>
    Effect.suspend((): Effect.Effect<Response, IntercomError.IntercomError> => {
      const n = log.length + 1
      const fault = faults(n)
      log.push({ n, start: Option.isNone(param), ...(fault === undefined ? {} : { fault }) })
      if (fault === "refused") {
        return Effect.fail(new IntercomError.TransportError({ ...site, errors: [], reason: "ECONNREFUSED", reachedServer: false }))
      }
      if (fault === "5xx") return Effect.fail(new IntercomError.ServerError({ ...site, status: 503, errors: [item("server_error", "Server Error")] }))
      if (fault === "restart") {
        open = undefined
        return Effect.fail(
          new IntercomError.ServerError({
            ...site,
            status: 500,
            errors: [item("server_error", "Request failed due to an internal network error. Please restart the scroll operation.")]
          })
        )
      }
      if (Option.isNone(param)) {
        if (open !== undefined) return Effect.fail(new IntercomError.BadRequest({ ...site, status: 400, errors: [item("scroll_exists", "scroll already exists for this workspace")] }))
        open = { param: `scroll-${++scrolls}`, position: 0 }
      } else if (open === undefined || open.param !== param.value) {
        return Effect.fail(new IntercomError.NotFound({ ...site, status: 404, errors: [item("not_found", "scroll parameter not found or expired")] }))
      }
      const page = ids.slice(open.position, open.position + perPage)
      open.position += page.length
      const current = open.param
      if (page.length === 0) open = undefined
      if (fault === "lost") {
        return Effect.fail(new IntercomError.TransportError({ ...site, status: 200, errors: [], reason: "socket reset", reachedServer: true }))
      }
      return Effect.succeed({ data: page.map((id) => ({ id })), ...(page.length === 0 ? {} : { scroll_param: current }) })
    })
  return { ids, log, fetch }
}

const scrollOf = (server: ReturnType<typeof scriptedServer>, options: Partial<Paginate.ScrollOptions<Response, Item, never>> = {}) =>
  Paginate.scroll<Response, Item, never>({
    ...options,
    fetch: (param) => server.fetch(param),
    items: (response) => response.data,
    id: (company) => company.id
  })

const collect = (server: ReturnType<typeof scriptedServer>, options: Partial<Paginate.ScrollOptions<Response, Item, never>> = {}) =>
  Effect.map(runOnTestClock(Stream.runCollect(scrollOf(server, options))), ({ exit }) =>
    Exit.map(exit, (items) => Chunk.toReadonlyArray(items).map((company) => company.id)))

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined

const starts = (server: ReturnType<typeof scriptedServer>) => server.log.filter((entry) => entry.start).length

describe("Paginate.scroll: proof of completeness", () => {
  it.effect("no faults: one pass, one request per page and the end page", () =>
    Effect.gen(function*() {
      const server = scriptedServer(1000, 100, () => undefined)
      const ids = orThrow(yield* collect(server))
      expect(ids).toEqual(server.ids)
      expect(server.log.length).toBe(11)
    }))

  it.effect("a page lost mid-scroll: the same param goes on, a second pass fetches the gap and stops once it is closed", () =>
    Effect.gen(function*() {
      // request 3 (page 3) is answered but lost; the retry gets page 4
      const server = scriptedServer(1000, 100, (n) => (n === 3 ? "lost" : undefined))
      const ids = orThrow(yield* collect(server))
      expect(ids.length).toBe(1000)
      expect(new Set(ids)).toEqual(new Set(server.ids))
      expect(starts(server)).toBe(2)
      // pass 1: pages 1-10 and the end page in 11 requests (page 3 lost: the retry got page 4);
      // pass 2 stops once pages 1-4 prove 2 → 3 → 4
      expect(server.log.length).toBe(11 + 4)
    }))

  it.effect("a 5xx mid-scroll is uncertain (it might have advanced the scroll): a second pass proves the link", () =>
    Effect.gen(function*() {
      const server = scriptedServer(500, 100, (n) => (n === 4 ? "5xx" : undefined))
      const ids = orThrow(yield* collect(server))
      expect(ids).toEqual(server.ids)
      expect(starts(server)).toBe(2)
    }))

  it.effect("a refused connection is certain (the request never arrived): one pass", () =>
    Effect.gen(function*() {
      const server = scriptedServer(500, 100, (n) => (n === 2 || n === 3 ? "refused" : undefined))
      const ids = orThrow(yield* collect(server))
      expect(ids).toEqual(server.ids)
      expect(starts(server)).toBe(1)
    }))

  it.effect("the end page lost: the dead param's 404 ends the pass, the next pass proves the end", () =>
    Effect.gen(function*() {
      const server = scriptedServer(300, 100, (n) => (n === 4 ? "lost" : undefined))
      const ids = orThrow(yield* collect(server))
      expect(ids).toEqual(server.ids)
      expect(server.log.slice(0, 6).map((entry) => [entry.start, entry.fault])).toEqual([
        [true, undefined], [false, undefined], [false, undefined], [false, "lost"], [false, undefined], [true, undefined]
      ])
      expect(starts(server)).toBe(2)
      expect(server.log.length).toBe(5 + 4)
    }))

  it.effect("the documented restart 500 three times mid-way: new passes, every id once", () =>
    Effect.gen(function*() {
      const server = scriptedServer(1000, 100, (n) => (n === 5 || n === 12 || n === 20 ? "restart" : undefined))
      const ids = orThrow(yield* collect(server))
      expect(ids.length).toBe(1000)
      expect(new Set(ids)).toEqual(new Set(server.ids))
      expect(starts(server)).toBe(4)
    }))

  it.effect("every request breaks the scroll: ScrollIncomplete after the stall budget, not a hang", () =>
    Effect.gen(function*() {
      const server = scriptedServer(1000, 100, () => "restart")
      const exit = yield* collect(server, { maxRestarts: 3 })
      expect(failureOf(exit)).toMatchObject({ _tag: "ScrollIncomplete", passes: 4, emitted: 0, provenPages: 0 })
      expect(String(failureOf(exit)?.message)).toMatch(/^scroll incomplete: 4 passes .*run the export again later$/)
      expect(server.log.length).toBe(4)
    }))

  it.effect("passes that each get further are progress; maxPasses still bounds them", () =>
    Effect.gen(function*() {
      // pass k breaks on its (k + 1)-th request: every pass proves one more page
      let pass = 0
      let inPass = 0
      const server = scriptedServer(1000, 100, (n) => {
        const start = n === 1 || server.log[n - 2]?.fault === "restart"
        if (start) {
          pass++
          inPass = 0
        }
        inPass++
        return inPass === pass + 1 ? "restart" : undefined
      })
      const exit = yield* collect(server, { maxRestarts: 1, maxPasses: 5 })
      expect(failureOf(exit)).toMatchObject({ _tag: "ScrollIncomplete", passes: 5, emitted: 500, provenPages: 5 })
      expect(starts(server)).toBe(5)
      const done = scriptedServer(300, 100, () => undefined)
      expect(orThrow(yield* collect(done, { maxRestarts: 1, maxPasses: 5 }))).toEqual(done.ids)
    }))
})
