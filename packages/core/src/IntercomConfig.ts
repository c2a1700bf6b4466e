/**
 * Where and how to reach Intercom: the access token (always `Redacted`), the regional
 * base URL, the API version, timeouts and retry limits. Built from explicit options
 * (`layer`) or from the environment through Effect `Config` (`layerConfig`).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

export type Region = "us" | "eu" | "au"

export const regionBaseUrls: Readonly<Record<Region, string>> = {
  us: "https://api.intercom.io",
  eu: "https://api.eu.intercom.io",
  au: "https://api.au.intercom.io"
}

/** The API version this toolkit's schemas describe. */
export const defaultVersion = "2.10"

export interface IntercomConfigShape {
  readonly accessToken: Redacted.Redacted<string>
  /** Scheme, host and port, without a trailing slash. */
  readonly baseUrl: string
  readonly version: string
  /** Per-attempt timeout. */
  readonly timeout: Duration.Duration
  /** Attempts per call including the first; 1 disables retries. */
  readonly maxAttempts: number
  /** First back-off wait; doubles per attempt. */
  readonly baseDelay: Duration.Duration
  /** Cap on one back-off wait. */
  readonly maxDelay: Duration.Duration
  /** Wait for the rate-limit window to reset instead of sending requests that would get a 429. */
  readonly throttle: boolean
}

export class IntercomConfig extends Context.Tag("@intercom-fx/core/IntercomConfig")<
  IntercomConfig,
  IntercomConfigShape
>() {}

/** A configuration that cannot work, with what to fix in `message`. */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>()("InvalidConfig", {
  setting: Schema.String,
  message: Schema.String
}) {}

export interface Options {
  readonly accessToken: Redacted.Redacted<string> | string
  readonly region?: Region
  /** Overrides `region`. Plain http is accepted only for loopback hosts. */
  readonly baseUrl?: string
  readonly version?: string
  readonly timeout?: Duration.DurationInput
  readonly maxAttempts?: number
  readonly baseDelay?: Duration.DurationInput
  readonly maxDelay?: Duration.DurationInput
  readonly throttle?: boolean
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"])

const isLoopback = (hostname: string): boolean => LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname)

/** Checks a base URL: https anywhere, http only on loopback; returns it without a trailing slash. */
export const validateBaseUrl = (input: string): Either.Either<string, InvalidConfig> => {
  const invalid = (message: string) => Either.left(new InvalidConfig({ setting: "INTERCOM_BASE_URL", message }))
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return invalid(`INTERCOM_BASE_URL is not a URL: "${input}"`)
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return invalid(`INTERCOM_BASE_URL must use https (got ${url.protocol})`)
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    return invalid(`INTERCOM_BASE_URL must use https for non-loopback hosts (got http://${url.host}); plain http is only allowed for localhost`)
  }
  if (url.username || url.password) {
    return invalid("INTERCOM_BASE_URL must not contain credentials; use INTERCOM_ACCESS_TOKEN")
  }
  return Either.right(`${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`)
}

const positiveInteger = (setting: string, value: number): Either.Either<number, InvalidConfig> =>
  Number.isInteger(value) && value >= 1
    ? Either.right(value)
    : Either.left(new InvalidConfig({ setting, message: `${setting} must be a whole number ≥ 1 (got ${value})` }))

/**
 * The token, unless it is empty or holds a control character (a line break pasted with
 * it, say): sent as a header it would only fail after every retry. The message never
 * repeats the token.
 */
const validateToken = (token: Redacted.Redacted<string>): Either.Either<Redacted.Redacted<string>, InvalidConfig> => {
  const text = Redacted.value(token)
  if (text.trim() === "") return Either.left(new InvalidConfig({ setting: "INTERCOM_ACCESS_TOKEN", message: "INTERCOM_ACCESS_TOKEN is empty" }))
  if (/[\u0000-\u001f\u007f]/.test(text)) {
    return Either.left(
      new InvalidConfig({
        setting: "INTERCOM_ACCESS_TOKEN",
        message: "INTERCOM_ACCESS_TOKEN holds a line break or another control character: give the token alone"
      })
    )
  }
  return Either.right(token)
}

/** Builds a checked configuration from explicit options. */
export const make = (options: Options): Effect.Effect<IntercomConfigShape, InvalidConfig> =>
  Effect.gen(function*() {
    const accessToken = yield* validateToken(
      Redacted.isRedacted(options.accessToken) ? options.accessToken : Redacted.make(options.accessToken)
    )
    const baseUrl = yield* validateBaseUrl(options.baseUrl ?? regionBaseUrls[options.region ?? "us"])
    const maxAttempts = yield* positiveInteger("maxAttempts", options.maxAttempts ?? 5)
    return {
      accessToken,
      baseUrl,
      version: options.version ?? defaultVersion,
      timeout: Duration.decode(options.timeout ?? "30 seconds"),
      maxAttempts,
      baseDelay: Duration.decode(options.baseDelay ?? "500 millis"),
      maxDelay: Duration.decode(options.maxDelay ?? "30 seconds"),
      throttle: options.throttle ?? true
    }
  })

const checked = <A>(either: Either.Either<A, InvalidConfig>): Either.Either<A, ConfigError.ConfigError> =>
  Either.mapLeft(either, (error) => ConfigError.InvalidData([error.setting], error.message))

/** `INTERCOM_REGION`, in any case (`EU` is as clear as `eu`). */
const region: Config.Config<Region> = Config.mapOrFail(Config.string("INTERCOM_REGION"), (text) => {
  const wanted = text.trim().toLowerCase()
  return wanted === "us" || wanted === "eu" || wanted === "au"
    ? Either.right(wanted)
    : Either.left(ConfigError.InvalidData([], `Expected one of (us, eu, au) but received ${JSON.stringify(text)}`))
})

/**
 * Reads `INTERCOM_ACCESS_TOKEN`, `INTERCOM_REGION` (us|eu|au), `INTERCOM_BASE_URL`,
 * `INTERCOM_VERSION`, `INTERCOM_TIMEOUT` (e.g. "30 seconds"), `INTERCOM_MAX_ATTEMPTS`,
 * `INTERCOM_MAX_DELAY` (cap on one back-off wait) and `INTERCOM_THROTTLE` (true|false).
 */
export const config: Config.Config<IntercomConfigShape> = Config.all({
  accessToken: Config.redacted("INTERCOM_ACCESS_TOKEN"),
  region: region.pipe(Config.withDefault("us" as const)),
  baseUrl: Config.option(Config.string("INTERCOM_BASE_URL")),
  version: Config.string("INTERCOM_VERSION").pipe(Config.withDefault(defaultVersion)),
  timeout: Config.duration("INTERCOM_TIMEOUT").pipe(Config.withDefault(Duration.seconds(30))),
  maxAttempts: Config.integer("INTERCOM_MAX_ATTEMPTS").pipe(Config.withDefault(5)),
  maxDelay: Config.duration("INTERCOM_MAX_DELAY").pipe(Config.withDefault(Duration.seconds(30))),
  throttle: Config.boolean("INTERCOM_THROTTLE").pipe(Config.withDefault(true))
}).pipe(
  Config.mapOrFail((raw) =>
    checked(
      Either.all({
        accessToken: validateToken(raw.accessToken),
        baseUrl: raw.baseUrl._tag === "Some" ? validateBaseUrl(raw.baseUrl.value) : Either.right(regionBaseUrls[raw.region]),
        maxAttempts: positiveInteger("INTERCOM_MAX_ATTEMPTS", raw.maxAttempts)
      })
    ).pipe(
      Either.map(({ accessToken, baseUrl, maxAttempts }) => ({
        accessToken,
        baseUrl,
        version: raw.version,
        timeout: raw.timeout,
        maxAttempts,
        baseDelay: Duration.millis(500),
        maxDelay: raw.maxDelay,
        throttle: raw.throttle
      }))
    )
  )
)

/** The configuration from explicit options. */
export const layer = (options: Options): Layer.Layer<IntercomConfig, InvalidConfig> =>
  Layer.effect(IntercomConfig, make(options))

/** The configuration from the environment (or any `ConfigProvider`). */
export const layerConfig = (
  source: Config.Config<IntercomConfigShape> = config
): Layer.Layer<IntercomConfig, ConfigError.ConfigError> => Layer.effect(IntercomConfig, source)
