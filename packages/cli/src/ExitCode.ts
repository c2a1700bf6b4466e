/**
 * The process exit codes of `intercom-fx`, one per kind of outcome, as documented in
 * `--help` and the README.
 */

/** Everything asked for was done. */
export const done = 0
/** The job ran to its end but some items failed (see the summary and the failed-ids file). */
export const failedItems = 1
/** The command line or the configuration is wrong (bad flag, no token, bad query, bad file). */
export const usage = 2
/** The workspace refused the token (401) or its permissions (403). */
export const auth = 3
/** Stopped by Ctrl-C (SIGINT/SIGTERM); rerun with `--resume` where supported. */
export const interrupted = 4

export type ExitCode = typeof done | typeof failedItems | typeof usage | typeof auth | typeof interrupted

/** The exit-code table as printed in `--help`. */
export const table: ReadonlyArray<readonly [ExitCode, string]> = [
  [done, "done"],
  [failedItems, "finished, but some items failed (or the API failed, or the output could not be written: stdout, a full disk)"],
  [usage, "usage or configuration error"],
  [auth, "authentication or permission error (401/403)"],
  [interrupted, "interrupted (Ctrl-C); rerun with --resume"]
]

export const helpText = `Exit codes: ${table.map(([code, text]) => `${code} ${text}`).join("; ")}.`

/** `intercom-fx sandbox` runs until stopped, so its table is shorter. */
export const sandboxHelpText = `Exit codes: ${done} stopped (Ctrl-C or SIGTERM); ${usage} usage error (a bad flag, or the port cannot be listened on).`
