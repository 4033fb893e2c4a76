import { existsSync, readFileSync } from 'node:fs'
import { configFilePath } from '../config.js'
import { ConfigError, ValidationError } from '../errors.js'
import { describe } from './validate.js'

/**
 * What a returned write survives. `'process'` (the default): the process being
 * killed (`kill -9`, a crash, an OOM kill) — WAL with synchronous=NORMAL, the
 * last commits may be lost if the machine loses power. `'power'`: a power cut
 * or kernel panic too — synchronous=FULL, an fsync of the WAL on every commit,
 * what MLflow and Optuna pay on SQLite.
 */
export type Durability = 'process' | 'power'

/** The SQLite `synchronous` setting of each durability. */
export const SYNCHRONOUS: Record<Durability, 'NORMAL' | 'FULL'> = { process: 'NORMAL', power: 'FULL' }

/**
 * Checks a durability from an option or the config file.
 *
 * @example checkDurability('power', 'options.durability') // 'power'
 */
export function checkDurability(value: unknown, where: string): Durability {
  if (value === 'process' || value === 'power') return value
  throw new ValidationError(`${where} must be "process" (survives kill -9) or "power" (survives a power cut, slower), got ${describe(value)}`, 'durability')
}

/**
 * The `"durability"` of the config file (`~/.mldb_config.json`), else `'process'`.
 *
 * @example configuredDurability() // 'process'
 */
export function configuredDurability(env: NodeJS.ProcessEnv = process.env): Durability {
  const file = configFilePath(env)
  if (!existsSync(file)) return 'process'
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON (${(e as Error).message}); fix it or delete it`, file)
  }
  const value = (parsed as { durability?: unknown } | null)?.durability
  if (value === undefined) return 'process'
  try {
    return checkDurability(value, `"durability" in ${file}`)
  } catch (e) {
    throw new ConfigError((e as Error).message, file)
  }
}
