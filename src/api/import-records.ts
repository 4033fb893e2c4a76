import { ValidationError } from '../errors.js'
import { emptyRegistryImport, type RegistryImportData } from '../registry/registry-import.js'
import type { Json } from '../store/types.js'
import { type CsvRow, CsvRowError, CsvRows } from './csv-rows.js'
import { completeBundle, type ExperimentBundle, type ExportBundles, type ImportedFile, newBundle, recordTextProblem } from './import-bundle.js'
import { readRegistryRecord } from './import-registry-records.js'
import { readLines } from './read-lines.js'
import { parseNumberText } from './records.js'
import { REGISTRY_RECORDS } from './registry-records.js'

type Fields = Record<string, unknown>

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' ? parseNumberText(v) : undefined)
const intOrNull = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : (num(v) ?? null))
const str = (v: unknown, dflt = ''): string => (typeof v === 'string' ? v : v === undefined || v === null ? dflt : String(v))

/**
 * Reads an `mldb export` file (JSONL or CSV, told apart by the first
 * character) into one bundle per experiment, and its registry records into
 * the array's `registry`. Everything is parsed and checked before the caller
 * writes anything. A CSV of bare points (experiment, series,
 * step, value; project, split and time optional) from another tool works too.
 */
export function readExportFile(path: string): ExportBundles {
  const bundles = new Map<string, ExperimentBundle>()
  const registry = emptyRegistryImport()
  let lineNo = 0
  let csv: CsvRows | undefined
  let csvHeader: string[] | undefined
  let format: 'jsonl' | 'csv' | undefined
  const fail = (msg: string): never => {
    throw new ValidationError(`${path} line ${lineNo}: ${msg}`, 'file')
  }
  const csvRows = (rows: () => CsvRow[]): void => {
    let list: CsvRow[]
    try {
      list = rows()
    } catch (e) {
      if (!(e instanceof CsvRowError)) throw e
      lineNo = e.line
      fail(e.message)
      return
    }
    for (const { cells, line } of list) {
      lineNo = line
      if (!csvHeader) {
        csvHeader = cells.map((c) => c.trim().toLowerCase())
        for (const col of ['experiment', 'value']) if (!csvHeader.includes(col)) fail(`the CSV header has no "${col}" column`)
        continue
      }
      let rec: Fields = Object.fromEntries(csvHeader.map((h, i) => [h, cells[i] ?? '']))
      const kind = str(rec.record, 'point') || 'point'
      if (kind !== 'point') {
        // non-point rows keep their fields as JSON in `value`
        try {
          const fields = JSON.parse(str(rec.value)) as Fields
          // registry rows carry every field in `value` (their experiment column is empty)
          rec = REGISTRY_RECORDS.includes(kind) ? { ...fields, record: kind } : { ...fields, record: kind, experiment: rec.experiment, project: rec.project }
        } catch {
          fail(`the value of a "${kind}" row is not JSON`)
          return
        }
      } else rec.record = 'point'
      addRecord(bundles, registry, rec, fail)
    }
  }
  for (const line of readLines(path)) {
    lineNo++
    if (format === undefined) {
      if (line.trim() === '') continue
      format = line.trimStart().startsWith('{') ? 'jsonl' : 'csv'
      if (format === 'csv') csv = new CsvRows()
    }
    if (csv) {
      const reader = csv
      const at = lineNo
      csvRows(() => reader.push(line, at))
      continue
    }
    if (line.trim() === '') continue
    let rec: Fields
    try {
      rec = JSON.parse(line) as Fields
    } catch {
      return fail('is not JSON; expected one record per line as `mldb export` writes')
    }
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return fail('is not a JSON object')
    addRecord(bundles, registry, rec, fail)
  }
  if (csv) {
    const reader = csv
    csvRows(() => reader.end())
  }
  const out: ExportBundles = [...bundles.values()].map(completeBundle)
  if (registry.models.length + registry.versions.length + registry.aliases.length + registry.changes.length > 0) out.registry = registry
  return out
}

function addRecord(bundles: Map<string, ExperimentBundle>, registry: RegistryImportData, rec: Fields, fail: (msg: string) => never): void {
  // every text is checked as a write would check it (docs/cli.md): a NUL kept from before the rule refuses the file
  const problem = recordTextProblem(rec)
  if (problem) fail(problem)
  if (readRegistryRecord(registry, rec, fail)) return
  const name = str(rec.experiment)
  if (!name) fail('has no experiment name')
  const project = str(rec.project, 'default') || 'default'
  let b = bundles.get(name)
  if (!b) {
    b = newBundle(name, project)
    bundles.set(name, b)
  }
  const kind = str(rec.record, 'point')
  switch (kind) {
    case 'point': {
      const step = num(rec.step)
      const value = num(rec.value)
      const time = rec.time === undefined || rec.time === '' ? Date.now() : num(rec.time)
      if (step === undefined || !Number.isSafeInteger(step)) fail(`step ${JSON.stringify(rec.step)} is not an integer (negative ones allowed)`)
      if (value === undefined) fail(`value ${JSON.stringify(rec.value)} is not a number (NaN, Infinity, -Infinity allowed)`)
      if (time === undefined || !Number.isFinite(time)) fail(`time ${JSON.stringify(rec.time)} is not ms since 1970`)
      const series = str(rec.series)
      if (!series) fail('a point has no series name')
      b.points.push({ name: series, split: str(rec.split), step: step as number, time: time as number, value: value as number })
      return
    }
    case 'experiment':
      b.project = project
      b.status = str(rec.status, 'COMPLETE')
      b.createdAt = num(rec.createdAt) ?? Number.NaN
      b.startedAt = intOrNull(rec.startedAt)
      b.endedAt = intOrNull(rec.endedAt)
      b.updatedAt = num(rec.updatedAt) ?? Number.NaN
      b.heartbeatAt = intOrNull(rec.heartbeatAt)
      b.host = rec.host === null || rec.host === undefined ? null : str(rec.host)
      b.pid = intOrNull(rec.pid)
      b.notes = str(rec.notes)
      return
    case 'status': {
      const time = num(rec.time)
      if (time === undefined) fail('a status record has no time')
      b.history.push({ status: str(rec.status), time: time as number })
      return
    }
    case 'param':
      b.params[str(rec.key)] = rec.value as Json
      return
    case 'tag':
      b.tags[str(rec.key)] = str(rec.value)
      return
    case 'file':
      b.files.push({
        path: str(rec.path),
        kind: str(rec.kind, 'other'),
        step: intOrNull(rec.step),
        size: num(rec.size) ?? 0,
        mtime: num(rec.mtime) ?? 0,
        sha256: typeof rec.sha256 === 'string' ? rec.sha256 : null,
        meta: (rec.meta ?? null) as ImportedFile['meta'],
        createdAt: num(rec.createdAt) ?? Date.now(),
      })
      return
    default:
      fail(`unknown record type "${kind}"`)
  }
}
