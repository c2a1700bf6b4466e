/**
 * Issue #9 at the streams level: page-number listings, searches and the companies scroll
 * under injected faults yield exactly the fault-free ids — none missing, none repeated —
 * for two sandbox seeds each (more in `npm run chaos` via the CLI) (fault decisions are a function of seed and request number).
 * The scroll meets the documented "restart the scroll" 500 several times mid-way.
 */
import { describe, expect, it } from "@effect/vitest"
import { Sandbox } from "@intercom-fx/sandbox"
import { Effect, Stream } from "effect"
import { Companies, Contacts, Search } from "../src/index.js"
import { idsOf, sandboxLayer } from "./helpers.js"

const issueFaults = "5xx=0.1,reset=0.02,truncate=0.01,429=0.02"

const faultsSeen = (info: Sandbox.SandboxInfo, kind?: string) =>
  Effect.map(Sandbox.log(info, 1000), (entries) => entries.filter((entry) => entry.fault !== undefined && (kind === undefined || entry.fault === kind)).length)

const duplicates = (ids: ReadonlyArray<string>) => ids.length - new Set(ids).size

describe("under faults, exactly the fault-free ids", () => {
  for (const seed of [1, 917_504_017]) {
    it.live(`page numbers (POST /companies/list) and search, seed ${seed}`, () =>
      Effect.gen(function*() {
        const info = yield* Sandbox.Sandbox
        const query = Search.where("role", "=", "lead")
        const listed = idsOf(yield* Stream.runCollect(Companies.stream({ perPage: 50 })))
        const found = idsOf(yield* Stream.runCollect(Contacts.search(query, { perPage: 50 })))
        yield* Sandbox.reset(info, seed) // clears counters and the log: faults now follow this seed from request 1
        yield* Sandbox.configure(info, { faults: issueFaults })
        const listedFaulty = idsOf(yield* Stream.runCollect(Companies.stream({ perPage: 50 })))
        const foundFaulty = idsOf(yield* Stream.runCollect(Contacts.search(query, { perPage: 50 })))
        const faults = yield* faultsSeen(info)
        yield* Sandbox.configure(info, { faults: "" })
        expect(listed.length).toBeGreaterThan(300) // the companies with users
        expect(found.length).toBeGreaterThan(200)
        expect(faults).toBeGreaterThan(0)
        expect(listedFaulty).toEqual(listed)
        expect(foundFaulty).toEqual(found)
      }).pipe(Effect.provide(sandboxLayer({ contacts: 1500, companies: 900, seed, rateLimit: 0 }))))
  }

  it.live("the scroll restarts on the documented 500, several times mid-way: every company once", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const reference = idsOf(yield* Stream.runCollect(Companies.scroll()))
      expect(reference.length).toBe(1000)
      for (const seed of [1, 6]) {
        yield* Sandbox.reset(info, seed)
        yield* Sandbox.configure(info, { faults: "scroll=0.15,429=0.02" })
        const faulty = idsOf(yield* Stream.runCollect(Companies.scroll({ maxRestarts: 40 })))
        const broken = yield* faultsSeen(info, "scroll")
        yield* Sandbox.configure(info, { faults: "" })
        const expected = idsOf(yield* Stream.runCollect(Companies.scroll()))
        expect({ seed, duplicates: duplicates(faulty), count: faulty.length }).toEqual({ seed, duplicates: 0, count: expected.length })
        expect(new Set(faulty)).toEqual(new Set(expected))
        expect(broken).toBeGreaterThanOrEqual(2)
      }
    }).pipe(Effect.provide(sandboxLayer({ contacts: 2000, companies: 1000, seed: 1, rateLimit: 0 }))))
})
