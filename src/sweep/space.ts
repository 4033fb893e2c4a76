import type { Json } from '../store/types.js'
import type { ParamSpec } from './config.js'
import type { Rng } from './rng.js'

/** A flat set of sampled values, keyed as in SweepConfig.parameters ('a.b' for nested). */
export type FlatParams = Record<string, Json>

function roundTo(x: number, q: number): number {
  // Rounding to a multiple of q, then cleaning float noise (0.1 * 3 = 0.30000000000000004).
  return Number((Math.round(x / q) * q).toPrecision(12))
}

/** One random draw of a parameter, with W&B's meaning of each distribution. */
export function sampleParam(spec: ParamSpec, rng: Rng): Json {
  switch (spec.distribution) {
    case 'constant':
      return spec.value
    case 'categorical':
      return spec.values[spec.probabilities ? rng.weighted(spec.probabilities) : rng.int(spec.values.length)] as Json
    case 'uniform':
      return spec.min + rng.uniform() * (spec.max - spec.min)
    case 'int_uniform':
      return spec.min + rng.int(spec.max - spec.min + 1)
    case 'q_uniform':
      return clampQ(roundTo(spec.min + rng.uniform() * (spec.max - spec.min), spec.q), spec)
    case 'log_uniform_values':
      return Math.exp(Math.log(spec.min) + rng.uniform() * (Math.log(spec.max) - Math.log(spec.min)))
    case 'q_log_uniform_values':
      return clampQ(roundTo(Math.exp(Math.log(spec.min) + rng.uniform() * (Math.log(spec.max) - Math.log(spec.min))), spec.q), spec)
    case 'normal':
      return spec.mu + spec.sigma * rng.normal()
    case 'log_normal':
      return Math.exp(spec.mu + spec.sigma * rng.normal())
  }
}

/** q-rounding may step past a bound: bring it back to the nearest multiple inside. */
function clampQ(x: number, spec: { min: number; max: number; q: number }): number {
  if (x > spec.max) return roundTo(x - spec.q, spec.q) >= spec.min ? roundTo(x - spec.q, spec.q) : spec.max
  if (x < spec.min) return roundTo(x + spec.q, spec.q) <= spec.max ? roundTo(x + spec.q, spec.q) : spec.min
  return x
}

/** A random draw of every parameter. */
export function sampleRandom(params: Record<string, ParamSpec>, rng: Rng): FlatParams {
  const out: FlatParams = {}
  for (const [k, spec] of Object.entries(params)) out[k] = sampleParam(spec, rng)
  return out
}

/** The values a grid walks for one parameter (the config is checked grid-able). */
export function gridValues(spec: ParamSpec): Json[] {
  switch (spec.distribution) {
    case 'constant':
      return [spec.value]
    case 'categorical':
      return spec.values
    case 'int_uniform':
      return Array.from({ length: spec.max - spec.min + 1 }, (_, i) => spec.min + i)
    case 'q_uniform': {
      const out: number[] = []
      for (let i = 0; ; i++) {
        const v = roundTo(spec.min + i * spec.q, spec.q)
        if (v > spec.max + 1e-12) break
        out.push(v)
      }
      return out
    }
    default:
      return []
  }
}

/** How many points the grid has. */
export function gridSize(params: Record<string, ParamSpec>): number {
  let n = 1
  for (const spec of Object.values(params)) n *= gridValues(spec).length
  return n
}

/** The grid point of that index: the last parameter varies fastest. */
export function gridPoint(params: Record<string, ParamSpec>, index: number): FlatParams {
  const entries = Object.entries(params)
  const out: FlatParams = {}
  let rest = index
  for (let i = entries.length - 1; i >= 0; i--) {
    const [k, spec] = entries[i]!
    const values = gridValues(spec)
    out[k] = values[rest % values.length] as Json
    rest = Math.floor(rest / values.length)
  }
  return Object.fromEntries(entries.map(([k]) => [k, out[k] as Json]))
}

/** Nested parameters ('a.b') back into objects, as the experiment's params and the program's view. */
export function nestParams(flat: FlatParams): Record<string, Json> {
  const out: Record<string, Json> = {}
  for (const [k, v] of Object.entries(flat)) {
    const parts = k.split('.')
    let node = out
    for (const p of parts.slice(0, -1)) {
      if (typeof node[p] !== 'object' || node[p] === null || Array.isArray(node[p])) node[p] = {}
      node = node[p] as Record<string, Json>
    }
    node[parts[parts.length - 1]!] = v
  }
  return out
}
