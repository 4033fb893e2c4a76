// The JSON of downsampled columns, written by hand: a replacer (toJson) runs per
// number and costs 3× the columns' own join on a 300-run panel.

/** A column of integers as JSON. */
export const intsJson = (xs: readonly number[]): string => `[${xs.join(',')}]`

/** A column of values as JSON, NaN and ±Infinity as strings (as toJson writes them). */
export function floatsJson(xs: readonly number[]): string {
  let out = '['
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i] as number
    if (i > 0) out += ','
    out += Number.isFinite(v) ? String(v) : `"${v}"`
  }
  return `${out}]`
}

/**
 * v to `digits` significant digits, printed short: the integer division by a power of ten
 * gives the double nearest the decimal (0.2053, not 0.20530000000000001), 5× faster than toPrecision.
 *
 * @example roundTo(0.123456, 3) // 0.123
 */
export function roundTo(v: number, digits: number): number {
  if (!Number.isFinite(v) || v === 0) return v
  const e = digits - 1 - Math.floor(Math.log10(Math.abs(v)))
  if (e > 22 || e < -22) return Number(v.toPrecision(digits))
  return e >= 0 ? Math.round(v * 10 ** e) / 10 ** e : Math.round(v / 10 ** -e) * 10 ** -e
}
