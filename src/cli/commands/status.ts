import type { Command } from 'commander'
import { openForWrite, withDb } from '../db.js'

/** `mldb status EXP STATUS`: sets the status, creating the experiment when new. */
export function registerStatus(program: Command): void {
  withDb(program.command('status'))
    .description('set the status of an experiment (created when new): PENDING, TRAINING, VALIDATING, COMPLETE, FAILED, KILLED or your own')
    .argument('<experiment>', 'the experiment name')
    .argument('<status>', 'the new status')
    .option('-p, --project <name>', 'the project of a new experiment (default: default)')
    .action((exp: string, status: string, opts: { db?: string; project?: string }) => {
      using db = openForWrite(opts.db)
      db.setExpStatus(exp, status, opts.project === undefined ? {} : { project: opts.project })
    })
}
