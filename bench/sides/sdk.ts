/**
 * The official SDK's side (`intercom-client`, a devDependency used by bench only): the
 * documented way to walk every contact, `for await` over `contacts.list`, which fetches
 * the next page when the current one is used up. One job per process (see lib/measure.ts).
 *
 *   node .tsbuild/bench/sides/sdk.js '{"job":"list","baseUrl":"…","token":"…","perPage":150}'
 */
import { IntercomClient } from "intercom-client"
import { cpuMark, measure, params } from "../lib/measure.js"

export interface SdkJob {
  /** `list`: count the items; `ndjson`: also serialise each to an NDJSON line (bytes counted, no I/O). */
  readonly job: "list" | "ndjson"
  readonly baseUrl: string
  readonly token: string
  readonly perPage: number
  /** Note the CPU used by the time this many records were seen (see `cpuMark`). */
  readonly markAt?: number
}

const p = params<SdkJob>()

void measure(async () => {
  const client = new IntercomClient({ token: p.token, baseUrl: p.baseUrl, version: "2.10" })
  const pages = await client.contacts.list({ per_page: p.perPage })
  const mark = cpuMark(p.markAt ?? Infinity)
  let records = 0
  let bytes = 0
  if (p.job === "list") {
    for await (const _contact of pages) mark.seen(++records)
  } else {
    for await (const contact of pages) {
      mark.seen(++records)
      bytes += `${JSON.stringify(contact)}\n`.length
    }
  }
  return { records, extra: { ...mark.extra(), ...(p.job === "ndjson" ? { bytes } : {}) } }
})
