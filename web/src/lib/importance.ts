// How much each param goes with the metric, without a model: for a number the
// Spearman rank correlation (its sign says which way), for a category the
// correlation ratio η (how much of the metric's variance the groups explain).
import type { ExperimentSummary } from './api'

/** One param's importance: strength in [0, 1], and for numbers the direction. */
export interface Importance {
  key: string
  strength: number
  /** +1: the metric rises with the param, -1: falls; 0 for categories */
  sign: number
  kind: 'rank' | 'eta'
}

function ranks(xs: number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0])
  const r = new Array<number>(xs.length)
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]) j++
    for (let k = i; k <= j; k++) r[(order[k] as readonly [number, number])[1]] = (i + j) / 2
    i = j + 1
  }
  return r
}

function pearson(a: number[], b: number[]): number {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i] as number
    mb += b[i] as number
  }
  ma /= n
  mb /= n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    const x = (a[i] as number) - ma
    const y = (b[i] as number) - mb
    sab += x * y
    saa += x * x
    sbb += y * y
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb)
}

/**
 * Each param's importance for the metric over the experiments that hold both, strongest first.
 *
 * @example paramImportance(exps, ['lr', 'optimizer'], (e) => e.series['valid/loss']?.last)
 */
export function paramImportance(
  exps: readonly ExperimentSummary[],
  keys: readonly string[],
  metric: (e: ExperimentSummary) => number | undefined,
): Importance[] {
  const out: Importance[] = []
  for (const key of keys) {
    const xs: unknown[] = []
    const ys: number[] = []
    for (const e of exps) {
      const y = metric(e)
      const x = e.params[key]
      if (y === undefined || x === undefined || x === null) continue
      xs.push(x)
      ys.push(y)
    }
    if (ys.length < 3) continue
    if (xs.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      const rho = pearson(ranks(xs as number[]), ranks(ys))
      out.push({ key, strength: Math.abs(rho), sign: Math.sign(rho), kind: 'rank' })
      continue
    }
    const groups = new Map<string, number[]>()
    xs.forEach((x, i) => {
      const k = typeof x === 'string' ? x : JSON.stringify(x)
      const g = groups.get(k) ?? []
      g.push(ys[i] as number)
      groups.set(k, g)
    })
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length
    let total = 0
    for (const y of ys) total += (y - mean) ** 2
    let between = 0
    for (const g of groups.values()) {
      const m = g.reduce((a, b) => a + b, 0) / g.length
      between += g.length * (m - mean) ** 2
    }
    out.push({ key, strength: total === 0 ? 0 : Math.sqrt(between / total), sign: 0, kind: 'eta' })
  }
  return out.sort((a, b) => b.strength - a.strength)
}
