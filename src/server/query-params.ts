import { z } from 'zod'

// Zod pieces for query-string values, which always arrive as text: each says
// what text it takes, so `limit=1.5` or `limit=` is a 400 naming the field
// rather than a NaN reaching the store.

/** A query-string integer (no floats, no empty string) within [min, max]. */
export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, 'expected an integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))

/** A query-string number (decimal or exponent notation, finite), e.g. a chart's zoom edge. */
export const numParam = z
  .string()
  .regex(/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i, 'expected a number')
  .transform(Number)
  .pipe(z.number().finite())

/** A query-string boolean: true/false/1/0. */
export const boolParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
