/**
 * Where intercom-fx's CPU per record goes (the profile behind benchmark 3): one page of
 * 150 sandbox contacts, decoded again and again in one process, per step. Not part of
 * `npm run bench`; run: npx tsc -b bench && node .tsbuild/bench/decode-cost.js
 */
import { Endpoints, Schemas } from "@intercom-fx/core"
import { Sandbox } from "@intercom-fx/sandbox"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

const page = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
  const info = yield* Sandbox.start({ contacts: 1_000, rateLimit: 0 })
  return yield* Effect.promise(() =>
    fetch(`${info.baseUrl}/contacts?per_page=150`, { headers: { authorization: `Bearer ${info.token}` } }).then((r) => r.text())
  )
})))

const records = (JSON.parse(page) as { readonly data: ReadonlyArray<unknown> }).data.length
const time = (label: string, f: () => unknown, iterations = 300) => {
  for (let i = 0; i < 30; i++) f() // warm up the JIT
  const t0 = performance.now()
  for (let i = 0; i < iterations; i++) f()
  const us = ((performance.now() - t0) * 1000) / (iterations * records)
  process.stdout.write(`${label.padEnd(66)} ${us.toFixed(1).padStart(7)} µs/record\n`)
}

const parsed = JSON.parse(page) as unknown
// core's internal fast path (not exported by the package): the compiled "decodes to itself" check
const FastValidate = (await import(new URL("./internal/fastValidate.js", import.meta.resolve("@intercom-fx/core")).href)) as {
  readonly compile: (schema: Schema.Schema.Any) => ((u: unknown) => boolean) | undefined
}
const compileStart = performance.now()
const isSame = FastValidate.compile(Schemas.ContactList)
const compileMs = performance.now() - compileStart
if (isSame === undefined || !isSame(parsed)) throw new Error("the fast path does not vouch for a sandbox page")
const decodeSync = Schema.decodeUnknownSync(Schemas.ContactList)
const decodeIgnore = Schema.decodeUnknownSync(Schemas.ContactList, { onExcessProperty: "ignore" })
const is = Schema.is(Schemas.ContactList)
const contactsOnly = Schema.decodeUnknownSync(Schema.Array(Schemas.Contact))
const data = (parsed as { readonly data: unknown }).data

process.stdout.write(`one page: ${records} contacts, ${(page.length / 1024).toFixed(0)} KB of JSON\n`)
time("JSON.parse (what the SDK does per page)", () => JSON.parse(page))
time("JSON.stringify per record (NDJSON)", () => (parsed as { readonly data: ReadonlyArray<unknown> }).data.map((c) => JSON.stringify(c)))
time("Endpoints.Contacts.list.decodeSuccess (what the client runs)", () => Effect.runSync(Endpoints.Contacts.list.decodeSuccess(parsed)))
time("  … its fast path alone: compiled check, input kept as decoded", () => isSame(parsed))
process.stdout.write(`    (compiling that check for ContactList: ${compileMs.toFixed(1)} ms, once)\n`)
process.stdout.write("what the client ran before (the full decode, a deep copy):\n")
time("Schema.decodeUnknownSync(ContactList)", () => decodeSync(parsed))
time("  … only the contacts array (Schema.Array(Contact))", () => contactsOnly(data))
time("  … with onExcessProperty: \"ignore\" (drops unnamed fields)", () => decodeIgnore(parsed))
time("Schema.is(ContactList) (validate only, no output built)", () => is(parsed))
