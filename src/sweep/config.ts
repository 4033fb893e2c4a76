import { ValidationError } from '../errors.js'
import type { Json } from '../store/types.js'

/** One parameter of a search space, normalised from W&B's sweep format. Keys of nested parameters are joined with '.'. */
export type ParamSpec =
  | { distribution: 'constant'; value: Json }
  | { distribution: 'categorical'; values: Json[]; probabilities?: number[] }
  | { distribution: 'uniform' | 'log_uniform_values'; min: number; max: number }
  | { distribution: 'int_uniform'; min: number; max: number }
  | { distribution: 'q_uniform' | 'q_log_uniform_values'; min: number; max: number; q: number }
  | { distribution: 'normal' | 'log_normal'; mu: number; sigma: number }

/** A pruner: W&B's hyperband `early_terminate`, or a median pruner in Optuna's sense. */
export type PrunerSpec =
  | { type: 'hyperband'; minIter: number; eta: number }
  | { type: 'median'; nStartupTrials: number; nWarmupSteps: number; intervalSteps: number }

/** A sweep's config, normalised: what `createSweep` stores and every client reads. */
export interface SweepConfig {
  name: string
  project: string
  method: 'grid' | 'random' | 'bayes'
  metric: { name: string; goal: 'minimize' | 'maximize' }
  parameters: Record<string, ParamSpec>
  runCap: number | null
  seed: number
  earlyTerminate: PrunerSpec | null
  /** re-run the params of a trial whose worker died (LOST) */
  requeueLost: boolean
  program?: string
  command?: string[]
  description?: string
}

const TOP_KEYS = new Set([
  'name',
  'project',
  'method',
  'metric',
  'parameters',
  'run_cap',
  'runCap',
  'seed',
  'early_terminate',
  'earlyTerminate',
  'requeue_lost',
  'requeueLost',
  'program',
  'command',
  'description',
  'entity',
])
const DISTRIBUTIONS = new Set([
  'constant',
  'categorical',
  'uniform',
  'int_uniform',
  'q_uniform',
  'log_uniform_values',
  'q_log_uniform_values',
  'normal',
  'log_normal',
])

function fail(key: string, message: string): never {
  throw new ValidationError(`sweep config: ${key}: ${message}`, key)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function num(key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(key, `must be a finite number, got ${JSON.stringify(v)}`)
  return v
}

function checkKeys(key: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) fail(`${key}.${k}`, `unknown key; expected one of ${allowed.join(', ')}`)
  }
}

function param(key: string, raw: unknown): ParamSpec {
  if (!isObject(raw)) fail(key, `must be an object such as { min: 0, max: 1 } or { values: [...] }, got ${JSON.stringify(raw)}`)
  const known = ['distribution', 'value', 'values', 'probabilities', 'min', 'max', 'q', 'mu', 'sigma']
  checkKeys(key, raw, known)
  let dist = raw.distribution
  if (dist !== undefined && (typeof dist !== 'string' || !DISTRIBUTIONS.has(dist))) {
    fail(`${key}.distribution`, `unsupported distribution ${JSON.stringify(dist)}; use one of ${[...DISTRIBUTIONS].join(', ')}`)
  }
  if (dist === undefined) {
    if ('value' in raw) dist = 'constant'
    else if ('values' in raw) dist = 'categorical'
    // JavaScript has no int type: min/max are floats here; loadSweepFile marks YAML/JSON integers int_uniform as W&B does.
    else if ('min' in raw && 'max' in raw) dist = 'uniform'
    else if ('mu' in raw || 'sigma' in raw) dist = 'normal'
    else fail(key, 'needs value, values, min and max, or a distribution')
  }
  const only = (...keys: string[]) => checkKeys(key, raw, ['distribution', ...keys])
  switch (dist) {
    case 'constant':
      only('value')
      if (!('value' in raw)) fail(`${key}.value`, 'is missing')
      return { distribution: 'constant', value: raw.value as Json }
    case 'categorical': {
      only('values', 'probabilities')
      if (!Array.isArray(raw.values) || raw.values.length === 0) fail(`${key}.values`, 'must be a non-empty list')
      const out: ParamSpec = { distribution: 'categorical', values: raw.values as Json[] }
      if (raw.probabilities !== undefined) {
        const p = raw.probabilities
        if (!Array.isArray(p) || p.length !== raw.values.length) fail(`${key}.probabilities`, `must be a list of ${raw.values.length} numbers`)
        const ps = p.map((x, i) => num(`${key}.probabilities[${i}]`, x))
        if (ps.some((x) => x < 0) || Math.abs(ps.reduce((a, b) => a + b, 0) - 1) > 1e-6) fail(`${key}.probabilities`, 'must be non-negative and sum to 1')
        out.probabilities = ps
      }
      return out
    }
    case 'normal':
    case 'log_normal': {
      only('mu', 'sigma')
      const mu = raw.mu === undefined ? 0 : num(`${key}.mu`, raw.mu)
      const sigma = raw.sigma === undefined ? 1 : num(`${key}.sigma`, raw.sigma)
      if (sigma <= 0) fail(`${key}.sigma`, `must be > 0, got ${sigma}`)
      return { distribution: dist, mu, sigma }
    }
    default: {
      const q = dist === 'q_uniform' || dist === 'q_log_uniform_values'
      q ? only('min', 'max', 'q') : only('min', 'max')
      if (!('min' in raw)) fail(`${key}.min`, 'is missing')
      if (!('max' in raw)) fail(`${key}.max`, 'is missing')
      const min = num(`${key}.min`, raw.min)
      const max = num(`${key}.max`, raw.max)
      if (!(min < max)) fail(`${key}.max`, `must be greater than min (${min}), got ${max}`)
      if (dist === 'int_uniform' && (!Number.isInteger(min) || !Number.isInteger(max))) fail(`${key}.min`, 'int_uniform needs integer min and max')
      if ((dist === 'log_uniform_values' || dist === 'q_log_uniform_values') && min <= 0) fail(`${key}.min`, `must be > 0 for ${dist}, got ${min}`)
      if (q) {
        const qv = raw.q === undefined ? 1 : num(`${key}.q`, raw.q)
        if (qv <= 0) fail(`${key}.q`, `must be > 0, got ${qv}`)
        return { distribution: dist as 'q_uniform', min, max, q: qv }
      }
      return { distribution: dist as 'uniform', min, max }
    }
  }
}

function parameters(prefix: string, raw: unknown, out: Record<string, ParamSpec>): void {
  if (!isObject(raw) || Object.keys(raw).length === 0) fail(prefix, 'must be a non-empty object of parameters')
  for (const [k, v] of Object.entries(raw)) {
    const key = `${prefix}.${k}`
    if (k === '' || k.includes('.')) fail(key, 'a parameter name must be non-empty and without "."; nest it under parameters instead')
    const name = prefix === 'parameters' ? k : `${prefix.replace(/^parameters\./, '').replace(/\.parameters/g, '')}.${k}`
    if (isObject(v) && 'parameters' in v) {
      checkKeys(key, v, ['parameters'])
      parameters(`${key}.parameters`, v.parameters, out)
    } else out[name] = param(key, v)
  }
}

function pruner(key: string, raw: unknown): PrunerSpec | null {
  if (raw === undefined || raw === null) return null
  if (!isObject(raw)) fail(key, 'must be an object such as { type: hyperband, min_iter: 3 }')
  if (raw.type === 'hyperband') {
    checkKeys(key, raw, ['type', 'min_iter', 'eta', 's', 'max_iter', 'strict'])
    if (raw.max_iter !== undefined || raw.s !== undefined) fail(`${key}.max_iter`, 'is not supported; give min_iter (and eta)')
    const minIter = raw.min_iter === undefined ? fail(`${key}.min_iter`, 'is missing') : num(`${key}.min_iter`, raw.min_iter)
    const eta = raw.eta === undefined ? 3 : num(`${key}.eta`, raw.eta)
    if (!Number.isInteger(minIter) || minIter < 1) fail(`${key}.min_iter`, `must be an integer >= 1, got ${minIter}`)
    if (eta <= 1) fail(`${key}.eta`, `must be > 1, got ${eta}`)
    return { type: 'hyperband', minIter, eta }
  }
  if (raw.type === 'median') {
    checkKeys(key, raw, ['type', 'n_startup_trials', 'n_warmup_steps', 'interval_steps'])
    const int = (k: string, d: number, min: number) => {
      const v = raw[k] === undefined ? d : num(`${key}.${k}`, raw[k])
      if (!Number.isInteger(v) || v < min) fail(`${key}.${k}`, `must be an integer >= ${min}, got ${v}`)
      return v
    }
    return {
      type: 'median',
      nStartupTrials: int('n_startup_trials', 5, 0),
      nWarmupSteps: int('n_warmup_steps', 0, 0),
      intervalSteps: int('interval_steps', 1, 1),
    }
  }
  fail(`${key}.type`, `must be hyperband or median, got ${JSON.stringify(raw.type)}`)
}

function pick(raw: Record<string, unknown>, a: string, b: string): unknown {
  if (raw[a] !== undefined && raw[b] !== undefined) fail(a, `give either ${a} or ${b}, not both`)
  return raw[a] ?? raw[b]
}

/**
 * Checks and normalises a sweep config in W&B's format (as parsed from YAML or JSON)
 * or in camelCase; an unknown key or a bad range is a ValidationError naming the key.
 *
 * @example parseSweepConfig({ name: 'b', method: 'bayes', metric: { name: 'loss' }, parameters: { x: { min: 0.0, max: 1.0 } } })
 */
export function parseSweepConfig(raw: unknown, defaults: { name?: string; project?: string; seed?: number } = {}): SweepConfig {
  if (!isObject(raw)) throw new ValidationError('a sweep config must be an object (a YAML or JSON mapping)', 'config')
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) fail(k, `unknown key; expected one of ${[...TOP_KEYS].join(', ')}`)
  const name = raw.name ?? defaults.name
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200 || /[\s/]/.test(name))
    fail('name', `must be a name without spaces or "/", got ${JSON.stringify(name)}`)
  const project = raw.project ?? defaults.project ?? 'default'
  if (typeof project !== 'string' || project.trim() === '') fail('project', `must be a non-empty string, got ${JSON.stringify(project)}`)
  let method = raw.method ?? 'random'
  if (method === 'tpe') method = 'bayes'
  if (method !== 'grid' && method !== 'random' && method !== 'bayes') fail('method', `must be grid, random, bayes or tpe, got ${JSON.stringify(method)}`)
  const m = raw.metric
  if (!isObject(m)) fail('metric', 'is missing; give { name: <series>, goal: minimize | maximize }')
  checkKeys('metric', m, ['name', 'goal', 'target'])
  if (typeof m.name !== 'string' || m.name === '') fail('metric.name', `must be a series name such as valid/loss, got ${JSON.stringify(m.name)}`)
  const goal = m.goal ?? 'minimize'
  if (goal !== 'minimize' && goal !== 'maximize') fail('metric.goal', `must be minimize or maximize, got ${JSON.stringify(goal)}`)
  const params: Record<string, ParamSpec> = {}
  parameters('parameters', raw.parameters, params)
  const cap = pick(raw, 'run_cap', 'runCap')
  if (cap !== undefined && cap !== null && (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 1))
    fail('run_cap', `must be an integer >= 1, got ${JSON.stringify(cap)}`)
  const seed = raw.seed ?? defaults.seed ?? Math.floor(Math.random() * 2 ** 31)
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) fail('seed', `must be an integer >= 0, got ${JSON.stringify(seed)}`)
  const requeue = pick(raw, 'requeue_lost', 'requeueLost') ?? false
  if (typeof requeue !== 'boolean') fail('requeue_lost', `must be true or false, got ${JSON.stringify(requeue)}`)
  const out: SweepConfig = {
    name,
    project,
    method,
    metric: { name: m.name, goal },
    parameters: params,
    runCap: (cap as number | undefined) ?? null,
    seed,
    earlyTerminate: pruner('early_terminate', pick(raw, 'early_terminate', 'earlyTerminate')),
    requeueLost: requeue,
  }
  if (method === 'grid') for (const [k, p] of Object.entries(params)) gridCheck(k, p)
  if (raw.program !== undefined) {
    if (typeof raw.program !== 'string' || raw.program === '') fail('program', 'must be the path of the training script')
    out.program = raw.program
  }
  if (raw.command !== undefined) {
    if (!Array.isArray(raw.command) || raw.command.some((c) => typeof c !== 'string'))
      fail('command', 'must be a list of strings: the program and its arguments, such as [python, train.py]')
    out.command = raw.command as string[]
  }
  if (raw.description !== undefined) out.description = String(raw.description)
  return out
}

function gridCheck(key: string, p: ParamSpec): void {
  const ok = p.distribution === 'constant' || p.distribution === 'categorical' || p.distribution === 'int_uniform' || p.distribution === 'q_uniform'
  if (!ok) fail(`parameters.${key}`, `method grid needs values, value, int_uniform or q_uniform; ${p.distribution} is continuous`)
}
