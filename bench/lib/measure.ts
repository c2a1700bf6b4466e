/**
 * The child side of the protocol: a side runs one job in its own process and prints one
 * JSON line (`Measurement`) on stdout, so CPU seconds and peak RSS belong to that side only.
 * The clock and CPU counters start just before the job (after module loading), peak RSS
 * is the process's whole life (loading included: that memory is part of using a library).
 */

export interface Measurement {
  /** Records the job saw (checked against the expected count by the runner). */
  readonly records: number
  /** Wall time of the job. */
  readonly elapsedMs: number
  /** User + system CPU of this process during the job. */
  readonly cpuMs: number
  /** Peak resident set size of this process, MB. */
  readonly maxRssMB: number
  /** RSS when the job started (modules loaded), MB. */
  readonly startRssMB: number
  readonly extra: Readonly<Record<string, unknown>>
}

export interface JobResult {
  readonly records: number
  readonly extra?: Readonly<Record<string, unknown>>
}

export const rssMB = (): number => process.memoryUsage().rss / (1024 * 1024)

let jobCpuStart: NodeJS.CpuUsage | undefined

/** CPU (user + system) this process has used since its job started, ms. */
export const jobCpuMs = (): number => {
  const cpu = process.cpuUsage(jobCpuStart)
  return (cpu.user + cpu.system) / 1000
}

/**
 * Notes the job's CPU when `count` first reaches `at` records, so that the runner can tell
 * the cost per record once the process is warm from the cost of getting there (start-up,
 * V8 compiling and optimising the code the job runs).
 */
export const cpuMark = (at: number) => {
  let mark: { readonly records: number; readonly cpuMs: number } | undefined
  return {
    seen: (count: number) => {
      if (mark === undefined && count >= at) mark = { records: count, cpuMs: jobCpuMs() }
    },
    extra: (): Readonly<Record<string, unknown>> => (mark === undefined ? {} : { mark })
  }
}

/** Runs the job, prints its measurement as the last stdout line, exits non-zero on failure. */
export const measure = async (job: () => Promise<JobResult>): Promise<void> => {
  const startRssMB = rssMB()
  jobCpuStart = process.cpuUsage()
  const t0 = performance.now()
  try {
    const result = await job()
    const elapsedMs = performance.now() - t0
    const out: Measurement = {
      records: result.records,
      elapsedMs,
      cpuMs: jobCpuMs(),
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      startRssMB,
      extra: result.extra ?? {}
    }
    process.stdout.write(`${JSON.stringify(out)}\n`)
  } catch (error) {
    process.stderr.write(`side failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
    process.exitCode = 1
  }
}

/** The job's parameters: one JSON argument. */
export const params = <A>(): A => {
  const raw = process.argv[2]
  if (raw === undefined) throw new Error("expected one JSON argument")
  return JSON.parse(raw) as A
}

/** Requests per rate-limit window (10 s, wall-clock aligned like the sandbox's), from send times. */
export const perWindow = (sentAt: ReadonlyArray<number>, windowMs = 10_000): ReadonlyArray<number> => {
  if (sentAt.length === 0) return []
  const first = Math.floor(sentAt.reduce((a, b) => Math.min(a, b)) / windowMs)
  const last = Math.floor(sentAt.reduce((a, b) => Math.max(a, b)) / windowMs)
  const counts = new Array<number>(last - first + 1).fill(0)
  for (const t of sentAt) {
    const i = Math.floor(t / windowMs) - first
    counts[i] = (counts[i] ?? 0) + 1
  }
  return counts
}
