/**
 * The limits of the filter language, the same in every client (docs/schema.md,
 * "Filter language"). They keep one filter from exhausting the parser's stack or
 * SQLite's own limits (expression depth 1,000, 32,766 parameters), so a filter
 * over them is a FilterSyntaxError with a column, never a crash.
 *
 * @example if (filter.length > FILTER_LIMITS.length) console.log('too long')
 */
export const FILTER_LIMITS = {
  /** characters (Unicode code points) in one filter or sort key */
  length: 10_000,
  /** parentheses and `not`s open at once */
  depth: 32,
  /** comparisons in one filter */
  terms: 256,
  /** values in one `in (...)` list */
  inValues: 1_000,
} as const
