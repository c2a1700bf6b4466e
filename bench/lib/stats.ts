/** Small numeric helpers for the runner. */

export const median = (xs: ReadonlyArray<number>): number => {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/**
 * The share of a per-window limit used, over the windows in which the job had work left:
 * every window but the first (the job starts part-way into it) and the last (the work runs
 * out part-way into it). With fewer than three windows, all of them.
 */
export const steadyWindowUse = (perWindow: ReadonlyArray<number>, limit: number): { readonly use: number; readonly windows: ReadonlyArray<number> } => {
  const windows = perWindow.length >= 3 ? perWindow.slice(1, -1) : perWindow
  const mean = windows.reduce((a, b) => a + b, 0) / Math.max(1, windows.length)
  return { use: mean / limit, windows }
}

export const fmt = (x: number, digits = 0): string =>
  Number.isFinite(x) ? x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "n/a"

export const pct = (x: number, digits = 0): string => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : "n/a")
