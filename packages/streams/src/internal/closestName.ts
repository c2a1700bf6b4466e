/**
 * The name a typo most likely meant ("emial" → "email"), for "did you mean" hints.
 *
 * @internal
 */

/** Edits between `a` and `b`: insertions, deletions, substitutions and swaps of neighbours. */
const distance = (a: string, b: string): number => {
  // Rows of the usual table: i-2, i-1 and i characters of `a` against every prefix of `b`.
  let beforePrevious: Array<number> = []
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (beforePrevious[j - 2] ?? 0) + 1)
      current.push(best)
    }
    beforePrevious = previous
    previous = current
  }
  return previous[b.length] ?? 0
}

/** How many edits still read as a typo: none for short names, up to two for longer ones. */
const tolerance = (name: string): number => (name.length <= 2 ? 0 : name.length <= 4 ? 1 : 2)

/** The candidate closest to `name`, when it is close enough to be what a typo meant. */
export const closestName = (name: string, candidates: Iterable<string>): string | undefined => {
  let best: string | undefined
  let bestDistance = tolerance(name) + 1
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}
