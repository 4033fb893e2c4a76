import { describe } from '../api/validate.js'
import { ValidationError } from '../errors.js'

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const ALIAS = /^[A-Za-z][A-Za-z0-9_-]*$/
/** Longest model name; the same limit as a series name. */
export const MAX_MODEL_NAME = 128
/** Longest alias. */
export const MAX_ALIAS = 64

// describe(), not String(): an object without a prototype or a Proxy whose reads throw must still give a ValidationError (issue 8 item 5)
const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : describe(v))

/** A model name: 1–128 letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
export function checkModelName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new ValidationError(`a model name must be a non-empty string, got ${show(name)}`, 'name')
  if (name.length > MAX_MODEL_NAME)
    throw new ValidationError(`model name "${name.slice(0, 40)}…" is ${name.length} characters; the limit is ${MAX_MODEL_NAME}`, 'name')
  if (!NAME.test(name))
    throw new ValidationError(`model name ${show(name)} may hold only letters, digits, '.', '_' and '-' (no spaces, '@' or '/'); e.g. iris-mlp`, 'name')
  return name
}

/** An alias: 1–64 letters, digits, `_` or `-`, starting with a letter (so never a number), not `latest`. */
export function checkAlias(alias: unknown): string {
  if (typeof alias !== 'string' || alias === '') throw new ValidationError(`an alias must be a non-empty string, got ${show(alias)}`, 'alias')
  if (/^\d+$/.test(alias)) throw new ValidationError(`alias "${alias}" is a number, which reads as a version; pick a word such as champion`, 'alias')
  if (alias.length > MAX_ALIAS) throw new ValidationError(`alias "${alias.slice(0, 40)}…" is ${alias.length} characters; the limit is ${MAX_ALIAS}`, 'alias')
  if (!ALIAS.test(alias)) throw new ValidationError(`alias ${show(alias)} must start with a letter and hold only letters, digits, '_' and '-'`, 'alias')
  if (alias === 'latest') throw new ValidationError('"latest" always means the newest version; pick another alias', 'alias')
  return alias
}

/** A version number: a positive integer. */
export function checkVersion(version: unknown): number {
  const v = typeof version === 'string' && /^\d+$/.test(version) ? Number(version) : version
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    throw new ValidationError(`a model version is a whole number from 1, got ${show(version)}`, 'version')
  return v
}

/** What a reference names: the latest version, one version, or an alias. */
export type ModelRef = { name: string; version?: number; alias?: string }

/**
 * Parses `name`, `name/3`, `name@alias` (and `name@latest`).
 *
 * @example parseModelRef('iris-mlp@champion') // { name: 'iris-mlp', alias: 'champion' }
 */
export function parseModelRef(ref: unknown): ModelRef {
  if (typeof ref !== 'string' || ref === '') throw new ValidationError(`a model reference is NAME, NAME/VERSION or NAME@ALIAS, got ${show(ref)}`, 'model')
  const at = ref.indexOf('@')
  if (at >= 0) {
    const name = checkModelName(ref.slice(0, at))
    const alias = ref.slice(at + 1)
    if (alias === 'latest') return { name }
    return { name, alias: checkAlias(alias) }
  }
  const slash = ref.indexOf('/')
  if (slash >= 0) return { name: checkModelName(ref.slice(0, slash)), version: checkVersion(ref.slice(slash + 1)) }
  return { name: checkModelName(ref) }
}
