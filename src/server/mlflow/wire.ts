/**
 * MLflow's wire shapes (protobuf JSON of mlflow/protos/service.proto) and the
 * readers of request fields: int64 as a number or a string, doubles with
 * "NaN"/"Infinity"/"-Infinity" as protobuf's JSON writes them.
 */
import type { Context } from 'hono'
import type { Json } from '../../store/types.js'
import { jsonTooDeep, MAX_JSON_DEPTH } from '../json-depth.js'
import { invalidParam, MlflowApiError } from './errors.js'

/** One key/value pair (params and tags). */
export interface WireKeyValue {
  key: string
  value: string
}

/** One metric value. */
export interface WireMetric {
  key: string
  value: number
  timestamp: number
  step: number
}

/** An MLflow experiment. */
export interface WireExperiment {
  experiment_id: string
  name: string
  artifact_location: string
  lifecycle_stage: string
  creation_time: number
  last_update_time: number
  tags: WireKeyValue[]
}

/** An MLflow run: info, data (latest metrics, params, tags), inputs and outputs. */
export interface WireRun {
  info: {
    run_id: string
    run_uuid: string
    run_name: string
    experiment_id: string
    user_id: string
    status: string
    start_time: number
    end_time?: number
    artifact_uri: string
    lifecycle_stage: string
  }
  data: { metrics: WireMetric[]; params: WireKeyValue[]; tags: WireKeyValue[] }
  inputs: { dataset_inputs: unknown[]; model_inputs: unknown[] }
  outputs: { model_outputs: unknown[] }
}

/** An MLflow 3 logged model (what `mlflow.<flavor>.log_model` creates). */
export interface WireLoggedModel {
  info: {
    model_id: string
    experiment_id: string
    name: string
    artifact_uri: string
    creation_timestamp_ms: number
    last_updated_timestamp_ms: number
    status: string
    status_message?: string
    model_type?: string
    source_run_id?: string
    tags: WireKeyValue[]
  }
  data: { params: WireKeyValue[]; metrics: WireMetric[] }
}

const TO_MLFLOW: Record<string, string> = {
  TRAINING: 'RUNNING',
  VALIDATING: 'RUNNING',
  LOST: 'RUNNING',
  PENDING: 'SCHEDULED',
  COMPLETE: 'FINISHED',
  FAILED: 'FAILED',
  KILLED: 'KILLED',
  PRUNED: 'KILLED',
}

const FROM_MLFLOW: Record<string, string> = {
  RUNNING: 'TRAINING',
  SCHEDULED: 'PENDING',
  FINISHED: 'COMPLETE',
  FAILED: 'FAILED',
  KILLED: 'KILLED',
}

/** mldb's status as MLflow's RunStatus (free-text statuses read as FINISHED). */
export function toMlflowStatus(status: string): string {
  return TO_MLFLOW[status] ?? 'FINISHED'
}

/** MLflow's RunStatus as mldb's status; anything else is INVALID_PARAMETER_VALUE. */
export function fromMlflowStatus(status: string): string {
  const s = FROM_MLFLOW[status]
  if (!s) throw invalidParam('status', status, 'expected one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED')
  return s
}

/** A param as MLflow's text: a string param is itself (byte for byte), any other JSON value its JSON text. */
export function paramText(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v)
}

/**
 * JSON.parse that also takes bare NaN, Infinity and -Infinity outside strings
 * (Python's json module writes them), turning them into strings first.
 */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    let out = ''
    let inString = false
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string
      if (inString) {
        out += ch
        if (ch === '\\') out += text[++i] ?? ''
        else if (ch === '"') inString = false
        continue
      }
      if (ch === '"') inString = true
      const rest = text.slice(i, i + 9)
      const word = rest.startsWith('-Infinity') ? '-Infinity' : rest.startsWith('Infinity') ? 'Infinity' : rest.startsWith('NaN') ? 'NaN' : undefined
      if (word) {
        out += `"${word}"`
        i += word.length - 1
      } else out += ch
    }
    try {
      return JSON.parse(out)
    } catch (e) {
      throw new MlflowApiError('INVALID_PARAMETER_VALUE', `the request body is not JSON: ${(e as Error).message}`)
    }
  }
}

/** The request's fields: the query string of a GET, the JSON body of anything else. */
export async function requestFields(c: Context): Promise<Record<string, unknown>> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') {
    const out: Record<string, unknown> = {}
    for (const [k, vs] of Object.entries(c.req.queries())) out[k] = vs.length === 1 ? vs[0] : vs
    refuseNul(out)
    return out
  }
  const text = await c.req.text()
  if (text.trim() === '') return {}
  const body = parseLenientJson(text)
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'the request body must be a JSON object')
  for (const [name, value] of Object.entries(body)) {
    if (jsonTooDeep(value, MAX_JSON_DEPTH)) throw invalidParam(name, undefined, `nested deeper than ${MAX_JSON_DEPTH} levels`)
  }
  refuseNul(body as Record<string, unknown>)
  return body as Record<string, unknown>
}

/** The path (`tags[1].value`) of the first key or string in `v` holding U+0000, if any. */
function nulAt(v: unknown, path: string): string | undefined {
  if (typeof v === 'string') return v.includes('\u0000') ? path : undefined
  if (typeof v !== 'object' || v === null) return undefined
  for (const [k, x] of Object.entries(v)) {
    const at = Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`
    const hit = k.includes('\u0000') ? at : nulAt(x, at)
    if (hit !== undefined) return hit
  }
  return undefined
}

/**
 * Refuses U+0000 anywhere in a request's fields, on every backend: PostgreSQL's text
 * cannot hold it (a 500 there, which MLflow's client retries for minutes), so a SQLite
 * file does not take it either. A 400 naming the field; nothing is written.
 */
function refuseNul(fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    const at = name.includes('\u0000') ? name : nulAt(value, name)
    if (at !== undefined) throw invalidParam(at, undefined, 'contains U+0000 (NUL), which mldb does not store')
  }
}

const missing = (name: string) =>
  new MlflowApiError(
    'INVALID_PARAMETER_VALUE',
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  )

/** A required string field. */
export function reqString(f: Record<string, unknown>, name: string): string {
  const v = f[name]
  if (v === undefined || v === null || v === '') throw missing(name)
  if (typeof v !== 'string') throw invalidParam(name, v, 'expected a string')
  return v
}

/** An optional string field. */
export function optString(f: Record<string, unknown>, name: string): string | undefined {
  const v = f[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw invalidParam(name, v, 'expected a string')
  return v
}

/** `run_id`, or the older `run_uuid`. */
export function runIdOf(f: Record<string, unknown>): string {
  const id = optString(f, 'run_id') || optString(f, 'run_uuid')
  if (!id) throw missing('run_id')
  return id
}

/** An int64 field (a number or a decimal string, as protobuf's JSON allows). */
export function optInt(f: Record<string, unknown>, name: string): number | undefined {
  const v = f[name]
  if (v === undefined || v === null || v === '') return undefined
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw invalidParam(name, v, 'expected an integer')
  return n
}

/** A double field; "NaN", "Infinity" and "-Infinity" are protobuf's JSON for those values. */
export function reqDouble(f: Record<string, unknown>, name: string): number {
  const v = f[name]
  if (v === undefined || v === null) throw missing(name)
  if (typeof v === 'number') return v
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v)
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v)
  throw invalidParam(name, v, 'expected a number')
}

/** An array field of objects (missing: empty). */
export function optObjects(f: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const v = f[name]
  if (v === undefined || v === null) return []
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) throw invalidParam(name, v, 'expected an array of objects')
  return v as Record<string, unknown>[]
}

/** An array of strings (a GET may give one string). */
export function optStrings(f: Record<string, unknown>, name: string): string[] {
  const v = f[name]
  if (v === undefined || v === null) return []
  const arr = Array.isArray(v) ? v : [v]
  if (arr.some((x) => typeof x !== 'string')) throw invalidParam(name, v, 'expected an array of strings')
  return arr as string[]
}

/** Tags or params as key/value objects, values as text. */
export function keyValues(f: Record<string, unknown>, name: string): WireKeyValue[] {
  return optObjects(f, name).map((o) => {
    const key = entityKey(o, `${name}.key`)
    const value = o.value === undefined || o.value === null ? '' : o.value
    if (typeof value !== 'string') throw invalidParam(`${name}.value`, value, 'expected a string')
    return { key, value }
  })
}

/**
 * A param's or tag's key (field `key`): "__proto__" is refused, as mldb keeps
 * params and tags in JavaScript objects, where that key sets the prototype and
 * the param or tag was dropped without a word. `name` names it in the error.
 */
export function entityKey(f: Record<string, unknown>, name = 'key'): string {
  const key = reqString(f, 'key')
  if (key === '__proto__') throw invalidParam(name, key, 'the key __proto__ cannot be stored (mldb keeps params and tags in JavaScript objects); rename it')
  return key
}

/** One metric of a request (log-metric's fields, or one item of log-batch). */
export function metricOf(f: Record<string, unknown>): WireMetric {
  const value = reqDouble(f, 'value')
  // -0.0 is stored as 0: SQLite keeps an integral REAL as an integer, so the sign
  // would be lost on disk anyway; storing 0 makes every read (summary, history) agree.
  return { key: reqString(f, 'key'), value: value === 0 ? 0 : value, timestamp: optInt(f, 'timestamp') ?? Date.now(), step: optInt(f, 'step') ?? 0 }
}

/** An offset as an opaque page token (base64 of JSON, as MLflow's SQL store does). */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64')
}

/** The offset of a page token (none: 0). */
export function offsetOf(token: string | undefined): number {
  if (!token) return 0
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown }
    if (typeof v.offset === 'number' && Number.isSafeInteger(v.offset) && v.offset >= 0) return v.offset
  } catch {
    // answered below
  }
  throw invalidParam('page_token', token, 'not a page token these routes gave')
}
