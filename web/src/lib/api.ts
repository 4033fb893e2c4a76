// The dashboard's only door to the server: typed fetches of the JSON API.
import type { BatchLine } from '../../../src/server/routes/series-batch'
import type { ExperimentSummary, FileRecord, Json, SeriesSummary, StatusChange } from '../../../src/store/types'

import { expandRow } from './compact-listing'
import { type EarlyAnswer, takeEarly } from './early-fetch'
import { parseJsonNumbers } from './json-numbers'

export type { BatchLine, ExperimentSummary, Json, SeriesSummary }

/** A file as the experiment page lists it. */
export interface FileEntry extends Omit<FileRecord, 'experiment'> {
  problem: null | 'missing' | 'changed'
  /** null when the server cannot serve it (a team server without its bytes) */
  url: string | null
  /** a team server's: whether its artifact store holds the bytes */
  stored?: boolean
}

/** One experiment with its history and files. */
export interface ExperimentDetail extends ExperimentSummary {
  statusHistory: StatusChange[]
  files: FileEntry[]
}

/** One downsampled bucket: min and max keep spikes visible. */
export interface Bucket {
  step: number
  time: number
  min: number
  max: number
  last: number
  count: number
  nanCount: number
}

/** The answer of GET /api/downsample: every (experiment, series) pair that exists. */
export interface BatchAnswer {
  buckets: number
  lines: BatchLine[]
  missing: { exp: string; series: string }[]
}

// Value columns hold "NaN"/"Infinity" strings where a bucket's value is one.
function reviveBatch(a: BatchAnswer): BatchAnswer {
  const fix = (col: number[] | undefined) => {
    if (!col) return
    for (let i = 0; i < col.length; i++) if (typeof col[i] === 'string') col[i] = SPECIAL[col[i] as unknown as string] ?? Number.NaN
  }
  for (const l of a.lines) {
    fix(l.last)
    fix(l.min)
    fix(l.max)
  }
  return a
}

/** A raw point: [step, time ms, value]. */
export type RawPoint = [number, number, number]

/** An error the server answered with ({ error: { code, message } }) or a network failure. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message)
  }
}

// The server writes NaN and ±Infinity as strings; they are numbers again only in
// number positions (json-numbers.ts, docs/schema.md): a param ["a", "b", "NaN"] stays text.
const SPECIAL: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY }

/** Parses a server JSON body, turning "NaN"/"Infinity" strings in number fields back into numbers. */
export function parseJson<T>(text: string): T {
  return parseJsonNumbers<T>(text)
}

/**
 * Fetches a JSON route; a failure is an ApiError with the server's message.
 * @example const { sweeps } = await request<{ sweeps: SweepSummary[] }>('/api/sweeps')
 */
export async function request<T>(path: string, init?: RequestInit, parse: (text: string) => T = parseJson): Promise<T> {
  const res = await answerOf(path, init)
  if (!res.ok) throw errorOf(res, res.text)
  return parse(res.text)
}

/** A GET's answer read to text: the one index.html started early for `path` if any, else a fetch. */
async function answerOf(path: string, init?: RequestInit): Promise<EarlyAnswer> {
  try {
    const early = init?.method === undefined || init.method === 'GET' ? takeEarly(path) : undefined
    if (early) return await early
    const res = await fetch(path, init)
    return { ok: res.ok, status: res.status, statusText: res.statusText, text: await res.text() }
  } catch (e) {
    throw new ApiError(`cannot reach the mldb server (${(e as Error).message})`, 0, 'network')
  }
}

/** The server's error answer as an ApiError. */
function errorOf(res: { status: number; statusText: string }, text: string): ApiError {
  let message = `${res.status} ${res.statusText}`
  let code = 'http'
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } }
    message = body.error?.message ?? message
    code = body.error?.code ?? code
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(message, res.status, code)
}

const q = (params: Record<string, string | number | undefined>): string => {
  const s = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v))
  const text = s.toString()
  return text ? `?${text}` : ''
}

/**
 * The experiments listing, asked for in its compact form (compact-listing.ts): a third of
 * the bytes, and the server copies stored rows instead of writing 50,000 series objects.
 * Parsed with plain JSON.parse: the compact rows hold no "NaN" strings, and a full row
 * (a server that answers the full form) goes through the usual reviver.
 */
async function listing(path: string): Promise<{ total: number; experiments: ExperimentSummary[] }> {
  const res = await answerOf(path, { headers: { 'x-mldb-listing': 'compact' } })
  const text = res.text
  if (!res.ok) throw errorOf(res, text)
  const body = JSON.parse(text) as { total: number; experiments: ExperimentSummary[] }
  const first = body.experiments[0]
  if (first && !('summary' in first)) return parseJson(text)
  return { total: body.total, experiments: body.experiments.map(expandRow) }
}

const exp = (name: string): string => `/api/experiments/${encodeURIComponent(name)}`

/** The JSON API, one function per route. */
export const api = {
  projects: () => request<{ projects: { name: string; count: number }[] }>('/api/projects'),
  projectsByActivity: () => request<{ projects: { name: string; count: number; latestAt: number }[] }>('/api/projects?by=activity'),
  experiments: (o: { project?: string; where?: string; orderBy?: string; limit?: number; offset?: number }) => listing(`/api/experiments${q(o)}`),
  experiment: (name: string) => request<ExperimentDetail>(exp(name)),
  patchExperiment: (name: string, body: { notes?: string; tags?: Record<string, string> }) =>
    request<ExperimentDetail>(exp(name), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  series: (name: string) => request<{ series: SeriesSummary[] }>(`${exp(name)}/series`),
  points: (name: string, series: string, after?: number) => request<{ series: string; points: RawPoint[] }>(`${exp(name)}/points${q({ series, after })}`),
  downsample: (name: string, series: string, o: { buckets?: number; from?: number; to?: number } = {}) =>
    request<{ series: string; buckets: Bucket[] }>(`${exp(name)}/downsample${q({ series, buckets: o.buckets ?? 1000, from: o.from, to: o.to })}`),
  downsampleMany: (o: { exps: readonly string[]; series: readonly string[]; buckets: number; from?: number; to?: number; bands: boolean; times: boolean }) => {
    const s = new URLSearchParams()
    for (const e of o.exps) s.append('exp', e)
    for (const k of o.series) s.append('series', k)
    s.set('buckets', String(o.buckets))
    if (o.from !== undefined) s.set('from', String(o.from))
    if (o.to !== undefined) s.set('to', String(o.to))
    if (!o.bands) s.set('bands', '0')
    if (!o.times) s.set('times', '0')
    // the chart shows 4 significant digits; 7 keep a zoomed-in axis exact
    s.set('digits', '7')
    // plain JSON.parse: reviveBatch turns the value columns' "NaN" strings into numbers, the
    // only place they can be (parseJson would walk every column once more first)
    return request(`/api/downsample?${s.toString()}`, undefined, (text) => reviveBatch(JSON.parse(text) as BatchAnswer))
  },
  changes: (since: number) => request<{ now: number; experiments: ExperimentSummary[]; trashed?: string[] }>(`/api/changes${q({ since })}`),
  health: () => request<{ ok: boolean; db: string; version: number; package?: string }>('/api/health'),
  directions: (keys: readonly string[]) =>
    request<{ directions: Record<string, 'min' | 'max'> }>(`/api/directions?${new URLSearchParams(keys.map((k) => ['series', k])).toString()}`),
}
