import type { Command } from 'commander'
import type { Json } from '../../store/types.js'
import { openForWrite, withDb } from '../db.js'
import { parseJsonOrString, parsePairs } from '../parse.js'

/** `mldb param EXP key=value ...`: hyperparameters, written once per key. */
export function registerParam(program: Command): void {
  withDb(program.command('param'))
    .description('record hyperparameters (values are JSON when they parse: lr=0.01 is a number, opt=adam a string)')
    .argument('<experiment>', 'the experiment name (created when new)')
    .argument('<pairs...>', 'key=value pairs')
    .action((exp: string, pairs: string[], opts: { db?: string }) => {
      const params: Record<string, Json> = {}
      for (const [k, v] of parsePairs(pairs)) params[k] = parseJsonOrString(v)
      using db = openForWrite(opts.db)
      db.setParams(exp, params)
    })
}
