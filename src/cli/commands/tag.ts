import type { Command } from 'commander'
import { openForWrite, withDb } from '../db.js'
import { parsePairs } from '../parse.js'

/** `mldb tag EXP key=value ...`: tags, which may change later. */
export function registerTag(program: Command): void {
  withDb(program.command('tag'))
    .description('set tags (strings; unlike params they may be changed)')
    .argument('<experiment>', 'the experiment name (created when new)')
    .argument('<pairs...>', 'key=value pairs')
    .action((exp: string, pairs: string[], opts: { db?: string }) => {
      using db = openForWrite(opts.db)
      db.setTags(exp, Object.fromEntries(parsePairs(pairs)))
    })
}
