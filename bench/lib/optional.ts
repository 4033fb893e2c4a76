import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Figure } from './figure.js'

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Runs `bench/<file>`'s exported `fn` if that file exists (other engineers own
 * the API and UI benchmarks). It may return Figures or a flat record of numbers;
 * a record becomes one table row per key, without a target.
 */
export async function runOptional(file: string, fn: string): Promise<Figure[] | undefined> {
  const path = join(BENCH_DIR, file)
  if (!existsSync(path)) return undefined
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  const run = mod[fn]
  if (typeof run !== 'function') throw new Error(`bench/${file} does not export ${fn}()`)
  const out = (await (run as () => unknown)()) as unknown
  if (Array.isArray(out)) return out as Figure[]
  if (out && typeof out === 'object') {
    return Object.entries(out as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'number')
      .map(([key, v]) => ({ key, label: `${file}: ${key}`, value: v as number, unit: '', target: '', pass: undefined, baseline: '' }))
  }
  throw new Error(`bench/${file}: ${fn}() returned ${String(out)}, not figures`)
}
