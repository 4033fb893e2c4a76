// Reads the registry lines of an `mldb export` file (src/api/registry-records.ts),
// checking names and numbers as a registration would, before anything is written.
import { MldbError } from '../errors.js'
import { checkAlias, checkModelName, checkVersion } from '../registry/names.js'
import { checkDescription, checkTags } from '../registry/registry.js'
import type { RegistryImportData } from '../registry/registry-import.js'
import type { ModelMetric } from '../registry/types.js'
import type { Json } from '../store/types.js'
import { parseNumberText } from './records.js'

type Fields = Record<string, unknown>

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' ? parseNumberText(v) : undefined)

/**
 * Adds one registry record to `registry`; false when `rec` is not one (another
 * kind of line). `fail` throws with the line number.
 *
 * @example if (readRegistryRecord(registry, JSON.parse(line), fail)) continue
 */
export function readRegistryRecord(registry: RegistryImportData, rec: Fields, fail: (msg: string) => never): boolean {
  const kind = rec.record
  if (kind !== 'model' && kind !== 'model_version' && kind !== 'model_alias' && kind !== 'model_alias_change') return false
  const checked = <T>(fn: () => T): T => {
    try {
      return fn()
    } catch (e) {
      if (e instanceof MldbError) fail(`${kind}: ${e.message}`)
      throw e
    }
  }
  const model = checked(() => checkModelName(rec.model))
  const int = (key: string): number => {
    const v = num(rec[key])
    if (v === undefined || !Number.isSafeInteger(v)) fail(`${kind} "${model}": ${key} ${JSON.stringify(rec[key])} is not an integer`)
    return v as number
  }
  const text = (key: string): string => {
    if (typeof rec[key] !== 'string') fail(`${kind} "${model}": ${key} must be a string`)
    return rec[key] as string
  }
  const versionOrNull = (key: string): number | null => (rec[key] === null || rec[key] === undefined ? null : checked(() => checkVersion(int(key))))
  switch (kind) {
    case 'model':
      registry.models.push({
        record: kind,
        model,
        description: checked(() => checkDescription(rec.description ?? '')),
        tags: checked(() => checkTags(rec.tags ?? {})),
        createdAt: int('createdAt'),
        updatedAt: int('updatedAt'),
      })
      return true
    case 'model_version': {
      const sha256 = text('sha256')
      if (!/^[0-9a-f]{64}$/.test(sha256)) fail(`model_version "${model}": sha256 must be 64 lower-case hex digits`)
      const params = rec.params ?? {}
      if (typeof params !== 'object' || params === null || Array.isArray(params)) fail(`model_version "${model}": params must be a JSON object`)
      if (!Array.isArray(rec.metrics ?? [])) fail(`model_version "${model}": metrics must be a JSON array`)
      const metrics = ((rec.metrics ?? []) as Fields[]).map(
        (m): ModelMetric => ({
          name: String(m.name ?? ''),
          split: String(m.split ?? ''),
          count: num(m.count) ?? 0,
          lastStep: m.lastStep === null || m.lastStep === undefined ? null : (num(m.lastStep) ?? null),
          last: num(m.last) ?? Number.NaN,
          min: num(m.min) ?? Number.NaN,
          max: num(m.max) ?? Number.NaN,
        }),
      )
      registry.versions.push({
        record: kind,
        model,
        version: checked(() => checkVersion(int('version'))),
        experiment: text('experiment'),
        path: text('path'),
        sha256,
        size: int('size'),
        params: params as Record<string, Json>,
        metrics,
        description: checked(() => checkDescription(rec.description ?? '')),
        registeredAt: int('registeredAt'),
        registeredBy: typeof rec.registeredBy === 'string' ? rec.registeredBy : '',
      })
      return true
    }
    case 'model_alias':
      registry.aliases.push({ record: kind, model, alias: checked(() => checkAlias(rec.alias)), version: checked(() => checkVersion(int('version'))) })
      return true
    default:
      registry.changes.push({
        record: kind,
        model,
        alias: checked(() => checkAlias(rec.alias)),
        from: versionOrNull('from'),
        to: versionOrNull('to'),
        time: int('time'),
        who: typeof rec.who === 'string' ? rec.who : '',
      })
      return true
  }
}
