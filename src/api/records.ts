// The export format of `mldb export` / `mldb import`: one record per line (JSONL)
// or row (CSV), every point in long form, plus what makes an experiment whole.

import { toJson } from '../json.js'
import type { ExperimentFields, FilePointer, Json } from '../store/types.js'
import type { RegistryRecord } from './registry-records.js'

/** One experiment's own fields (status, times, host, notes). */
export interface ExperimentRecord extends ExperimentFields {
  record: 'experiment'
  experiment: string
}

/** One point of one series. */
export interface PointRecord {
  record: 'point'
  experiment: string
  project: string
  series: string
  split: string
  step: number
  time: number
  value: number
}

/** One entry of the status history. */
export interface StatusRecord {
  record: 'status'
  experiment: string
  project: string
  status: string
  time: number
}

/** One param (a JSON value). */
export interface ParamRecord {
  record: 'param'
  experiment: string
  project: string
  key: string
  value: Json
}

/** One tag. */
export interface TagRecord {
  record: 'tag'
  experiment: string
  project: string
  key: string
  value: string
}

/** One file pointer, as recorded (the file need not exist where it is imported). */
export interface FileRecordLine extends FilePointer {
  record: 'file'
  experiment: string
  project: string
  createdAt: number
}

/** Any line of an export. */
export type ExportRecord = ExperimentRecord | PointRecord | StatusRecord | ParamRecord | TagRecord | FileRecordLine | RegistryRecord

/** The CSV columns, in order. Non-point records keep their other fields as JSON in `value`. */
export const CSV_COLUMNS = ['record', 'experiment', 'project', 'series', 'split', 'step', 'time', 'value'] as const

/**
 * A number as text that reads back to the same double: JS prints the shortest
 * round-tripping form, and NaN/Infinity/-Infinity as words.
 */
export const numberText = (v: number): string => String(v)

/**
 * Reads a number written by numberText, by other tools or typed in a shell (nan,
 * inf, -inf, infinity in any case); undefined when it is not one. The one reader
 * of number text for `mldb import` (CSV and JSONL), MLflow imports and `mldb log`.
 *
 * @example parseNumberText('-inf') // -Infinity
 */
export function parseNumberText(text: string): number | undefined {
  const t = text.trim()
  const lower = t.toLowerCase()
  if (lower === 'nan') return Number.NaN
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Number.POSITIVE_INFINITY
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY
  if (t === '') return undefined
  const n = Number(t)
  return Number.isNaN(n) ? undefined : n
}

/** Quotes a CSV field when it must be (RFC 4180). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** A record as a CSV row (without the line break). */
export function toCsvRow(r: ExportRecord): string {
  let cells: string[]
  if (r.record === 'point') {
    cells = [r.record, r.experiment, r.project, r.series, r.split, String(r.step), String(r.time), numberText(r.value)]
  } else if ('project' in r) {
    const { record, experiment, project, ...rest } = r
    cells = [record, experiment, project, '', '', '', '', JSON.stringify(rest)]
  } else {
    // registry records name no experiment column of their own: every field stays in `value`
    const { record, ...rest } = r
    cells = [record, '', '', '', '', '', '', toJson(rest)]
  }
  return cells.map(csvField).join(',')
}
