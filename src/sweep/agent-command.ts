import { extname } from 'node:path'
import type { Json } from '../store/types.js'
import type { SweepConfig } from './config.js'
import { nestParams } from './space.js'

/** Params as `--key=value` arguments, nested ones dotted (`--optimizer.lr=0.01`); strings as they are, the rest as JSON. */
export function paramArgs(params: Record<string, Json>, prefix = ''): string[] {
  const out: string[] = []
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) out.push(...paramArgs(v, key))
    else out.push(`--${key}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
  }
  return out
}

/** W&B's command macros, built at run time so the source holds no template-like string literals. */
const macro = (name: string): string => `$${'{'}${name}}`
const ARGS = macro('args')
const ARGS_NO_HYPHENS = macro('args_no_hyphens')
const PROGRAM = macro('program')
const INTERPRETER = macro('interpreter')
const ENV = macro('env')

/** How to run a program by its extension: python3 for .py, node (with tsx for .ts) for scripts. */
function interpreter(program: string): string[] {
  const ext = extname(program)
  if (ext === '.py') return ['python3']
  if (ext === '.ts' || ext === '.mts') return [process.execPath, '--import', 'tsx']
  if (ext === '.js' || ext === '.mjs') return [process.execPath]
  return []
}

/**
 * The argv of one trial, as `wandb agent` builds it: the command given after
 * `--`, else the config's `command` (with W&B's ${program}, ${args},
 * ${args_no_hyphens}, ${interpreter} and ${env} macros), else its `program`
 * run by extension; the params are appended as `--key=value`, or put where
 * ${args} stands.
 *
 * @example trialArgv(config, { lr: 0.01 }, []) // ['python3', 'train.py', '--lr=0.01']
 */
export function trialArgv(config: SweepConfig, params: Record<string, Json>, given: string[]): string[] | undefined {
  const args = paramArgs(nestParams(params as Record<string, Json>))
  if (given.length > 0) return [...given, ...args]
  if (config.command) {
    const out: string[] = []
    let placed = false
    for (const part of config.command) {
      if (part === ARGS) {
        out.push(...args)
        placed = true
      } else if (part === ARGS_NO_HYPHENS) {
        out.push(...args.map((a) => a.slice(2)))
        placed = true
      } else if (part === PROGRAM) {
        if (config.program) out.push(config.program)
      } else if (part === INTERPRETER) {
        out.push(...interpreter(config.program ?? ''))
      } else if (part !== ENV) out.push(part)
    }
    return placed ? out : [...out, ...args]
  }
  if (config.program) return [...interpreter(config.program), config.program, ...args]
  return undefined
}
