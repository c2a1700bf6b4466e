import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Either, Redacted } from "effect"
import * as IntercomConfig from "../src/IntercomConfig.js"

const fromEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(IntercomConfig.config, ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("IntercomConfig", () => {
  it.effect("reads the token as Redacted and maps each region to its host", () =>
    Effect.gen(function*() {
      const us = yield* fromEnv({ INTERCOM_ACCESS_TOKEN: "tok" })
      expect(us.baseUrl).toBe("https://api.intercom.io")
      expect(us.version).toBe("2.10")
      expect(Redacted.value(us.accessToken)).toBe("tok")
      expect(String(us.accessToken)).not.toContain("tok")
      const eu = yield* fromEnv({ INTERCOM_ACCESS_TOKEN: "tok", INTERCOM_REGION: "eu" })
      expect(eu.baseUrl).toBe("https://api.eu.intercom.io")
      const au = yield* fromEnv({ INTERCOM_ACCESS_TOKEN: "tok", INTERCOM_REGION: "au" })
      expect(au.baseUrl).toBe("https://api.au.intercom.io")
      // In any case, as people write them.
      const upper = yield* fromEnv({ INTERCOM_ACCESS_TOKEN: "tok", INTERCOM_REGION: " EU" })
      expect(upper.baseUrl).toBe("https://api.eu.intercom.io")
    }))

  it.effect("reads the retry cap and throttling switch", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv({ INTERCOM_ACCESS_TOKEN: "t", INTERCOM_MAX_DELAY: "5 seconds", INTERCOM_THROTTLE: "false" })
      expect(Duration.toMillis(config.maxDelay)).toBe(5000)
      expect(config.throttle).toBe(false)
      const defaults = yield* fromEnv({ INTERCOM_ACCESS_TOKEN: "t" })
      expect(Duration.toMillis(defaults.maxDelay)).toBe(30_000)
      expect(defaults.throttle).toBe(true)
    }))

  it.effect("lets INTERCOM_BASE_URL override the region, http only for loopback", () =>
    Effect.gen(function*() {
      const local = yield* fromEnv({ INTERCOM_ACCESS_TOKEN: "t", INTERCOM_REGION: "eu", INTERCOM_BASE_URL: "http://127.0.0.1:4010/" })
      expect(local.baseUrl).toBe("http://127.0.0.1:4010")
      const remote = yield* Effect.flip(fromEnv({ INTERCOM_ACCESS_TOKEN: "t", INTERCOM_BASE_URL: "http://api.example.com" }))
      expect(String(remote)).toContain("https")
      expect(String(remote)).toContain("INTERCOM_BASE_URL")
    }))

  it.effect("rejects an unknown region, a missing token and an empty token", () =>
    Effect.gen(function*() {
      expect(String(yield* Effect.flip(fromEnv({ INTERCOM_ACCESS_TOKEN: "t", INTERCOM_REGION: "mars" })))).toContain("INTERCOM_REGION")
      expect(String(yield* Effect.flip(fromEnv({})))).toContain("INTERCOM_ACCESS_TOKEN")
      expect(String(yield* Effect.flip(fromEnv({ INTERCOM_ACCESS_TOKEN: " " })))).toContain("INTERCOM_ACCESS_TOKEN is empty")
    }))

  it.effect("rejects a token holding a line break or another control character, without repeating it", () =>
    Effect.gen(function*() {
      for (const token of ["tok_SECRET_1\nsecond line", "tok_SECRET_1\r\n", "tok\u0000SECRET_1", "tok_SECRET_1\u007f"]) {
        const fromEnvironment = String(yield* Effect.flip(fromEnv({ INTERCOM_ACCESS_TOKEN: token })))
        const explicit = yield* Effect.flip(IntercomConfig.make({ accessToken: token }))
        expect(explicit.setting).toBe("INTERCOM_ACCESS_TOKEN")
        for (const message of [fromEnvironment, explicit.message]) {
          expect(message).toContain("INTERCOM_ACCESS_TOKEN holds a line break or another control character")
          expect(message).not.toContain("SECRET")
        }
      }
    }))

  it.effect("builds from explicit options with the same checks", () =>
    Effect.gen(function*() {
      const config = yield* IntercomConfig.make({ accessToken: "t", region: "au", timeout: "5 seconds", maxAttempts: 2 })
      expect(config.baseUrl).toBe("https://api.au.intercom.io")
      expect(Duration.toMillis(config.timeout)).toBe(5000)
      expect(config.maxAttempts).toBe(2)
      const error = yield* Effect.flip(IntercomConfig.make({ accessToken: "t", baseUrl: "http://10.0.0.5" }))
      expect(error._tag).toBe("InvalidConfig")
      expect(error.setting).toBe("INTERCOM_BASE_URL")
      const attempts = yield* Effect.flip(IntercomConfig.make({ accessToken: "t", maxAttempts: 0 }))
      expect(attempts.setting).toBe("maxAttempts")
    }))

  it("accepts https anywhere and http on every loopback spelling", () => {
    expect(Either.isRight(IntercomConfig.validateBaseUrl("https://api.intercom.io"))).toBe(true)
    for (const url of ["http://localhost:1", "http://127.0.0.2:1", "http://[::1]:1"]) {
      expect(Either.isRight(IntercomConfig.validateBaseUrl(url))).toBe(true)
    }
    for (const url of ["http://intercom.io", "ftp://x", "not a url", "https://user:pw@api.intercom.io"]) {
      expect(Either.isLeft(IntercomConfig.validateBaseUrl(url))).toBe(true)
    }
  })
})
