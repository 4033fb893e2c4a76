import type { Json } from './types.js'

/**
 * Limits on the JSON values mldb stores (param values, file meta), checked at
 * write time by both clients (docs/schema.md, "Limits"). One value may hold at
 * most this many levels of arrays/objects, this many array items plus object
 * keys in all, and this many bytes of UTF-8 JSON text.
 *
 * @example JSON_LIMITS.maxBytes // 65536
 */
export const JSON_LIMITS = { maxDepth: 32, maxItems: 10_000, maxBytes: 65_536 } as const

/**
 * Rows written before the limits existed can hold anything. Listings show such a
 * value as a marker string instead of decoding it: over `maxBytes` (decoding 16 MB
 * per row made every listing take seconds), not JSON, or nested deeper than this
 * (SQLite's own JSON parser refuses deeper values, so its queries would fail).
 */
export const READ_MAX_DEPTH = 1000

/** The marker of a value that is not JSON or nested deeper than READ_MAX_DEPTH. */
const UNDECODABLE = `[not shown: not JSON or nested deeper than ${READ_MAX_DEPTH} levels]`

/**
 * The marker a listing shows for a stored JSON value it does not decode; the
 * same text in every client (docs/schema.md).
 *
 * @example unreadableMarker(16777781) // '[not shown: 16777781 bytes, over the limit of 65536]'
 */
export function unreadableMarker(bytes?: number): string {
  if (bytes === undefined) return UNDECODABLE
  return `[not shown: ${bytes} bytes, over the limit of ${JSON_LIMITS.maxBytes}]`
}

/** The deepest nesting of arrays/objects in JSON text, strings skipped; stops counting past `stop`. */
export function jsonDepth(text: string, stop = Number.POSITIVE_INFINITY): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92)
        i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) {
      depth++
      if (depth > max) {
        max = depth
        if (max > stop) return max
      }
    } else if (c === 93 || c === 125) depth--
  }
  return max
}

/**
 * A stored JSON text as a value, or the marker when a listing should not decode
 * it (see READ_MAX_DEPTH). `text` is null when the SQL left an oversized value unread;
 * without `bytes` (one experiment's own params) any size is decoded.
 *
 * @example decodeStoredJson('[64,64]', 7) // [64, 64]
 */
export function decodeStoredJson(text: string | null, bytes?: number): Json {
  if (text === null || (bytes !== undefined && bytes > JSON_LIMITS.maxBytes)) return unreadableMarker(bytes ?? 0)
  // A value deeper than READ_MAX_DEPTH needs more than twice as many characters.
  if (text.length > 2 * READ_MAX_DEPTH && jsonDepth(text, READ_MAX_DEPTH) > READ_MAX_DEPTH) return UNDECODABLE
  try {
    return JSON.parse(text) as Json
  } catch {
    return UNDECODABLE
  }
}
