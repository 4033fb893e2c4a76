/**
 * Exponential moving average with TensorBoard's debiasing, so the first
 * values are not dragged toward zero. `weight` 0 returns the input; nulls and
 * NaNs pass through without poisoning the average.
 */
export function ema(values: ArrayLike<number | null>, weight: number): (number | null)[] {
  const out: (number | null)[] = new Array(values.length)
  if (weight <= 0) {
    for (let i = 0; i < values.length; i++) out[i] = values[i] ?? null
    return out
  }
  let acc = 0
  let n = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = v ?? null
      continue
    }
    acc = acc * weight + (1 - weight) * v
    n++
    out[i] = acc / (1 - weight ** n)
  }
  return out
}
