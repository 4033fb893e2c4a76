// What the sweep page computes from the trials: the best-so-far curve and a
// simple, named measure of parameter importance.
import type { TrialInfo } from './sweeps-api'

/** The best complete value after each trial number (lower or higher is better). */
export function bestSoFar(trials: readonly TrialInfo[], minimize: boolean): { number: number; value: number; best: number }[] {
  const out: { number: number; value: number; best: number }[] = []
  let best: number | undefined
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    if (t.status !== 'COMPLETE' || t.value === null || !Number.isFinite(t.value)) continue
    if (best === undefined || (minimize ? t.value < best : t.value > best)) best = t.value
    out.push({ number: t.number, value: t.value, best })
  }
  return out
}

function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0])
  const r = Array<number>(xs.length).fill(0)
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++
    for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2
    i = j + 1
  }
  return r
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length
  const ma = a.reduce((s, x) => s + x, 0) / n
  const mb = b.reduce((s, x) => s + x, 0) / n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb)
    saa += (a[i]! - ma) ** 2
    sbb += (b[i]! - mb) ** 2
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb)
}

/**
 * Importance of each parameter over the complete trials: |Spearman's rank
 * correlation| with the metric for numbers; for other values the correlation
 * ratio (eta) of the metric's ranks grouped by value. Both lie in [0, 1]; it
 * sees monotone effects and misses interactions (it is not fANOVA).
 */
export function importance(trials: readonly TrialInfo[], keys: readonly string[]): { key: string; score: number; measure: string }[] {
  const done = trials.filter((t) => t.status === 'COMPLETE' && t.value !== null && Number.isFinite(t.value))
  if (done.length < 3) return []
  const y = ranks(done.map((t) => t.value as number))
  return keys
    .map((key) => {
      const xs = done.map((t) => t.params[key])
      if (xs.every((x) => typeof x === 'number')) return { key, score: Math.abs(pearson(ranks(xs as number[]), y)), measure: 'Spearman' }
      const groups = new Map<string, number[]>()
      xs.forEach((x, i) => {
        const k = JSON.stringify(x)
        groups.set(k, [...(groups.get(k) ?? []), y[i]!])
      })
      const mean = y.reduce((s, v) => s + v, 0) / y.length
      const total = y.reduce((s, v) => s + (v - mean) ** 2, 0)
      let between = 0
      for (const g of groups.values()) between += g.length * (g.reduce((s, v) => s + v, 0) / g.length - mean) ** 2
      return { key, score: total === 0 ? 0 : Math.sqrt(between / total), measure: 'eta' }
    })
    .sort((a, b) => b.score - a.score)
}
