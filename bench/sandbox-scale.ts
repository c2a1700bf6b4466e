/**
 * Scale check (not a timed test): start a 1,000,000-contact sandbox, time startup, the first
 * contacts page and a search page, and print peak RSS. Run (after npm run build): npx tsx bench/sandbox-scale.ts
 */
import { Console, Effect } from "effect"
import { Sandbox } from "@intercom-fx/sandbox"

const timed = <A, E, R>(label: string, eff: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const t0 = performance.now()
    const a = yield* eff
    yield* Console.log(`${label}: ${(performance.now() - t0).toFixed(0)} ms`)
    return a
  })

const get = (url: string, token: string, init: RequestInit = {}) =>
  Effect.promise(async () => {
    const res = await fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } })
    return { status: res.status, body: (await res.json()) as { total_count?: number; data?: ReadonlyArray<unknown> } }
  })

const program = Effect.gen(function*() {
  const info = yield* timed("start (1,000,000 contacts)", Sandbox.start({ contacts: 1_000_000, rateLimit: 0 }))
  const first = yield* timed("first GET /contacts page (per_page=150)", get(`${info.baseUrl}/contacts?per_page=150`, info.token))
  yield* Console.log(`  status ${first.status}, total_count ${first.body.total_count}, rows ${first.body.data?.length}`)
  const query = { query: { operator: "AND", value: [{ field: "email", operator: "~", value: "acme" }, { field: "role", operator: "=", value: "user" }] }, pagination: { per_page: 50 } }
  const search = yield* timed("first POST /contacts/search page (email ~ acme AND role = user, full count)", get(`${info.baseUrl}/contacts/search`, info.token, { method: "POST", body: JSON.stringify(query) }))
  yield* Console.log(`  status ${search.status}, total_count ${search.body.total_count}, rows ${search.body.data?.length}`)
  const ranged = { query: { field: "created_at", operator: ">", value: 1700000000 }, pagination: { per_page: 50 } }
  const r2 = yield* timed("POST /contacts/search created_at > 2023-11-14", get(`${info.baseUrl}/contacts/search`, info.token, { method: "POST", body: JSON.stringify(ranged) }))
  yield* Console.log(`  status ${r2.status}, total_count ${r2.body.total_count}`)
  const scroll = yield* timed("GET /companies/scroll first page", get(`${info.baseUrl}/companies/scroll`, info.token))
  yield* Console.log(`  status ${scroll.status}, rows ${scroll.body.data?.length}`)
  yield* Console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`)
})

Effect.runPromise(Effect.scoped(program)).catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
