// Which way a series is optimised (min for loss-like names, max for accuracy-like
// ones), one rule for the CLI, the dashboard (through the server) and the API.
// The words live in docs/series-directions.json, which the Python client reads too,
// so the two clients cannot drift; the rule itself is written in docs/schema.md.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { configFilePath } from '../config.js'
import { ConfigError, ValidationError } from '../errors.js'
import { parseSeriesKey } from '../query/filter.js'
import { describe } from './validate.js'

/** The way a series gets better: `min` (loss, error, rmse, ...) or `max` (acc, f1, auc, ...). */
export type Direction = 'min' | 'max'

/** Directions chosen per series, by key (`valid/score`) or by name for every split (`score`). */
export type Directions = Record<string, Direction>

interface WordList {
  default: Direction
  min: string[]
  max: string[]
}

let words: { default: Direction; byWord: Map<string, Direction>; suffixes: [string, Direction][] } | undefined

/** The shared word list, found by walking up from this module (it runs from src/api and from dist/src/api). */
function wordList(): NonNullable<typeof words> {
  if (words) return words
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'docs', 'series-directions.json')
    if (existsSync(file)) {
      const list = JSON.parse(readFileSync(file, 'utf8')) as WordList
      const byWord = new Map<string, Direction>()
      for (const w of list.min) byWord.set(w, 'min')
      for (const w of list.max) byWord.set(w, 'max')
      // Longest first, so "valaccuracy" is read as accuracy, not as a word it merely ends with.
      const suffixes = [...byWord].filter(([w]) => w.length >= 3).sort((a, b) => b[0].length - a[0].length)
      words = { default: list.default, byWord, suffixes }
      return words
    }
    dir = dirname(dir)
  }
  throw new Error('mldb: docs/series-directions.json is missing from the installed package; reinstall mldb')
}

/** The words of a series name: camelCase and any character but an ASCII letter or digit split it. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .toLowerCase()
    .split(' ')
    .filter(Boolean)
}

/** The direction the word list gives a series name (no split), ignoring any configured choice. */
function directionOfName(name: string): Direction {
  const list = wordList()
  const ws = nameWords(name)
  // The last word that means something decides: "word_error_rate" is an error, "f1_macro" an f1.
  for (let i = ws.length - 1; i >= 0; i--) {
    const w = ws[i] as string
    const d = list.byWord.get(w) ?? list.byWord.get(w.replace(/[0-9]+$/, ''))
    if (d) return d
  }
  // Names written without separators ("valloss", "trainacc"): the last word's ending.
  const last = ws[ws.length - 1]
  if (last) for (const [w, d] of list.suffixes) if (last.endsWith(w)) return d
  return list.default
}

/**
 * The direction series `key` (`split/name` or `name`) is optimised in: a choice
 * in `directions` for the key, then for its name; else the shared word list
 * (loss-like names min, accuracy-like max, anything else min). Without
 * `directions`, the config file's `"directions"` are used.
 *
 * @example seriesDirection('valid/acc') // 'max'
 * @example seriesDirection('valid/score', { 'valid/score': 'min' }) // 'min'
 */
export function seriesDirection(key: string, directions?: Directions): Direction {
  if (typeof key !== 'string') throw new ValidationError(`a series key must be a string such as 'valid/acc', got ${describe(key)}`, 'series')
  const chosen = directions === undefined ? configuredDirections() : checkDirections(directions, 'directions')
  const { name } = parseSeriesKey(key)
  if (Object.hasOwn(chosen, key)) return chosen[key] as Direction
  if (Object.hasOwn(chosen, name)) return chosen[name] as Direction
  return directionOfName(name)
}

/**
 * Checks a `directions` object (from an option or the config file): each value
 * must be `"min"` or `"max"`.
 *
 * @example checkDirections({ 'valid/score': 'max' }, 'directions')
 */
export function checkDirections(value: unknown, where: string): Directions {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ValidationError(`${where} must be an object such as {"valid/score": "max"}, got ${describe(value)}`, 'directions')
  const out: Directions = {}
  for (const [k, v] of Object.entries(value)) {
    if (v !== 'min' && v !== 'max') throw new ValidationError(`${where}["${k}"] must be "min" or "max", got ${describe(v)}`, 'directions')
    out[k] = v
  }
  return out
}

let cached: { file: string; mtimeMs: number; size: number; directions: Directions } | undefined

/**
 * The `"directions"` of the config file (`~/.mldb_config.json`), e.g.
 * `{"db_path": "...", "directions": {"valid/score": "max"}}`; empty when there is none.
 * Read again only when the file changes.
 *
 * @example configuredDirections() // { 'valid/score': 'max' }
 */
export function configuredDirections(env: NodeJS.ProcessEnv = process.env): Directions {
  const file = configFilePath(env)
  if (!existsSync(file)) return {}
  const st = statSync(file)
  if (cached && cached.file === file && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.directions
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON (${(e as Error).message}); fix it or delete it`, file)
  }
  let directions: Directions
  try {
    directions = checkDirections((parsed as { directions?: unknown } | null)?.directions, `"directions" in ${file}`)
  } catch (e) {
    throw new ConfigError((e as Error).message, file)
  }
  cached = { file, mtimeMs: st.mtimeMs, size: st.size, directions }
  return directions
}
