/**
 * MLflow's own checks of what a tracking call logs (mlflow/utils/validation.py
 * of the pinned release), so that a value MLflow's server refuses is refused
 * here too, with the same code and wording, before anything is written.
 */
import { MlflowApiError } from './errors.js'
import type { WireKeyValue, WireMetric } from './wire.js'

/** MLflow's limits (MAX_* of mlflow/utils/validation.py). */
export const MLFLOW_LIMITS = {
  entityKey: 250,
  paramsOrTagsPerBatch: 100,
  metricsPerBatch: 1000,
  entitiesPerBatch: 1000,
  experimentName: 500,
  experimentTagKey: 250,
  experimentTagValue: 20000,
} as const

/** Python's `\w` (letters, digits, underscore in any script) plus `/ . - space :`, as validate_param_and_metric_name. */
const NAME_CHARS = /^[/\p{L}\p{N}_.\- :]*$/u

/** posixpath.normpath for the cases path_not_unique looks at. */
function normpath(p: string): string {
  if (p === '') return '.'
  const lead = p.startsWith('//') && !p.startsWith('///') ? '//' : p.startsWith('/') ? '/' : ''
  const out: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part !== '..' || (!lead && out.length === 0) || (out.length > 0 && out.at(-1) === '..')) out.push(part)
    else if (out.length > 0) out.pop()
  }
  return lead + out.join('/') || '.'
}

const shown = (v: string) => JSON.stringify(v)

/**
 * A metric, param or tag key as MLflow takes it: only `\w / . - space :`, and
 * not a path that resolves to another name (`a/../b`, `/a`, `a//b`, `./a`).
 */
export function checkEntityKey(path: string, key: string): void {
  if (!NAME_CHARS.test(key))
    throw new MlflowApiError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${shown(key)} for parameter '${path}' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    )
  const norm = normpath(key)
  if (norm !== key || norm === '.' || norm.startsWith('..') || norm.startsWith('/'))
    throw new MlflowApiError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${shown(key)} for parameter '${path}' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'`,
    )
  if (key.length > MLFLOW_LIMITS.entityKey)
    throw new MlflowApiError('INVALID_PARAMETER_VALUE', `'${path}' exceeds the maximum length of ${MLFLOW_LIMITS.entityKey} characters`)
}

/**
 * One metric: its key as checkEntityKey and a timestamp >= 0 (as MLflow). Any
 * step the wire parses (a safe integer) is kept, negative ones included, as
 * MLflow keeps them (docs/schema.md, "Steps").
 */
export function checkMetric(path: string, m: WireMetric): void {
  checkEntityKey(path ? `${path}.key` : 'key', m.key)
  if (m.timestamp < 0)
    throw new MlflowApiError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${m.timestamp} for parameter '${path ? `${path}.` : ''}timestamp' supplied: metric '${m.key}' (value=${m.value}). Timestamp must be a nonnegative long (64-bit integer) `,
    )
}

/** The batch limits of log-batch, then every metric, param and tag, then no param key twice. */
export function checkBatch(b: { metrics: WireMetric[]; params: WireKeyValue[]; tags: WireKeyValue[] }): void {
  const limit = (what: string, max: number, n: number) => {
    if (n > max)
      throw new MlflowApiError(
        'INVALID_PARAMETER_VALUE',
        `A batch logging request can contain at most ${max} ${what}. Got ${n} ${what}. Please split up ${what} across multiple requests and try again.`,
      )
  }
  limit('metrics', MLFLOW_LIMITS.metricsPerBatch, b.metrics.length)
  limit('params', MLFLOW_LIMITS.paramsOrTagsPerBatch, b.params.length)
  limit('tags', MLFLOW_LIMITS.paramsOrTagsPerBatch, b.tags.length)
  limit('metrics, params, and tags', MLFLOW_LIMITS.entitiesPerBatch, b.metrics.length + b.params.length + b.tags.length)
  const single = b.metrics.length + b.params.length + b.tags.length === 1
  for (const [i, m] of b.metrics.entries()) checkMetric(single ? '' : `metrics[${i}]`, m)
  for (const [i, p] of b.params.entries()) checkEntityKey(single ? 'key' : `params[${i}].key`, p.key)
  for (const [i, t] of b.tags.entries()) checkEntityKey(single ? 'key' : `tags[${i}].key`, t.key)
  const seen = new Set<string>()
  const dupes = b.params.filter((p) => seen.size === seen.add(p.key).size).map((p) => p.key)
  if (dupes.length > 0)
    throw new MlflowApiError(
      'INVALID_PARAMETER_VALUE',
      `Duplicate parameter keys have been submitted: ${JSON.stringify(dupes)}. Please ensure the request contains only one param value per param key.`,
    )
}

/** An experiment tag (set-experiment-tag, experiments/create): MLflow's key rules and lengths. */
export function checkExperimentTag(key: string, value: string): void {
  checkEntityKey('key', key)
  if (value.length > MLFLOW_LIMITS.experimentTagValue)
    throw new MlflowApiError('INVALID_PARAMETER_VALUE', `'value' exceeds the maximum length of ${MLFLOW_LIMITS.experimentTagValue} characters`)
}

/** An experiment name: at most 500 characters, as MLflow. */
export function checkExperimentName(name: string): void {
  if (name.length > MLFLOW_LIMITS.experimentName)
    throw new MlflowApiError('INVALID_PARAMETER_VALUE', `'name' exceeds the maximum length of ${MLFLOW_LIMITS.experimentName} characters`)
}
