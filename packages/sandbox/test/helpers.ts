/** HTTP helpers for sandbox tests: plain fetch against 127.0.0.1, bodies parsed as JSON. */
import { Effect } from "effect"
import type { Sandbox } from "../src/index.js"

export interface Res {
  readonly status: number
  readonly headers: Headers
  readonly body: any
}

export const api = (info: Sandbox.SandboxInfo, method: string, path: string, body?: unknown, token: string | null = info.token) =>
  Effect.promise(async (): Promise<Res> => {
    const headers: Record<string, string> = { "content-type": "application/json", "intercom-version": "2.10" }
    if (token !== null) headers.authorization = `Bearer ${token}`
    const res = await fetch(info.baseUrl + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    const text = await res.text()
    return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) }
  })
