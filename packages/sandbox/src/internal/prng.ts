/**
 * Stateless deterministic randomness: every value is a pure function of (seed, index, salt),
 * so record i of a million-record workspace can be derived on demand without storing it.
 */

/** A 32-bit avalanche hash of three integers (murmur3 finaliser over a simple mix). */
export const hash3 = (seed: number, index: number, salt: number): number => {
  let h = (seed ^ 0x9e3779b9) >>> 0
  h = Math.imul(h ^ index, 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13) ^ salt, 0xc2b2ae35)
  h ^= Math.floor(index / 4294967296)
  h ^= h >>> 16
  h = Math.imul(h, 0x7feb352d)
  h ^= h >>> 15
  h = Math.imul(h, 0x846ca68b)
  h ^= h >>> 16
  return h >>> 0
}

/** A float in [0, 1). */
export const unit = (seed: number, index: number, salt: number): number => hash3(seed, index, salt) / 4294967296

/** An integer in [0, n). */
export const below = (seed: number, index: number, salt: number, n: number): number =>
  Math.floor(unit(seed, index, salt) * n)

/** Pick an element of a non-empty list. */
export const pick = <A>(seed: number, index: number, salt: number, items: ReadonlyArray<A>): A =>
  items[below(seed, index, salt, items.length)] as A

/** A deterministic 8-hex-digit tag, used as the workspace-specific prefix of ids. */
export const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, "0")
