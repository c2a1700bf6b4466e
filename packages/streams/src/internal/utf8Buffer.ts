/**
 * UTF-8 encoding of many strings into one reused buffer, for file writes.
 *
 * An export writes a page at a time. Joining a page's lines into one string and encoding
 * that allocates a page-sized string and a page-sized ArrayBuffer for every page, and
 * their memory comes back only when a GC finds them dead. Here the lines are encoded one
 * after the other into a buffer that grows to the largest page and is then reused.
 *
 * @internal
 */
import type * as Chunk from "effect/Chunk"

const encoder = new TextEncoder()

export interface Utf8Buffer {
  /**
   * The UTF-8 bytes of the strings, one after the other (a collection: it is read twice).
   * The view is into the shared buffer: it is valid until the next call, so write it
   * before encoding more.
   */
  readonly encode: (texts: ReadonlyArray<string> | Chunk.Chunk<string>) => Uint8Array
}

export const make = (): Utf8Buffer => {
  let buffer = new Uint8Array(0)
  return {
    encode: (texts) => {
      let units = 0
      for (const text of texts) units += text.length
      // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
      if (buffer.length < units * 3) buffer = new Uint8Array(Math.max(units * 3, buffer.length * 2))
      let length = 0
      for (const text of texts) length += encoder.encodeInto(text, buffer.subarray(length)).written
      return buffer.subarray(0, length)
    }
  }
}
