/** One line of the benchmark table and its entries in results.json. */
export interface Figure {
  /** the results.json key of the measured value */
  key: string
  label: string
  value: number
  unit: string
  /** e.g. '>= 50,000' */
  target: string
  pass: boolean | undefined
  /** what the value is compared with, measured in the same run */
  baseline: string
  /** decimals shown in the table (default: 1 for ms and B, else 0) */
  digits?: number
  /** extra results.json entries (baselines, ratios, sizes) */
  extra?: Record<string, number | string>
}

/** A number as the table shows it: thousands separators, at most `digits` decimals. */
export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}
