import type { Command } from 'commander'
import { trashState } from '../../api/trash-lookup.js'
import { NotFoundError } from '../../errors.js'
import { openForWrite, withDb } from '../db.js'
import { UsageError } from '../errors.js'
import { parseStep, parseValue } from '../parse.js'

/** `mldb log EXP NAME VALUE --step N`: one point from a shell script. */
export function registerLog(program: Command): void {
  withDb(program.command('log'))
    .description('log one value of a series (nan, inf and -inf allowed) to an existing experiment, or a new one with --create')
    .argument('<experiment>', 'the experiment name')
    .argument('<name>', 'the series name, e.g. loss or acc')
    .argument('<value>', 'a number, nan, inf or -inf')
    .requiredOption('--step <n>', 'the step (epoch or iteration), an integer; negative ones allowed', parseStep)
    .option('--split <split>', "the split, e.g. train or valid (default: none; for loss use 'train'/'valid')")
    .option('--create', 'create the experiment when there is none of that name')
    // so that `-inf` and `-1.5` reach us as the value instead of as unknown options
    .allowUnknownOption()
    .action((exp: string, name: string, valueText: string, opts: { db?: string; step: number; split?: string; create?: boolean }) => {
      const value = parseValue(valueText)
      if (value === undefined) throw new UsageError(`value "${valueText}" is not a number (nan, inf and -inf are allowed)`)
      using db = openForWrite(opts.db)
      // a mistyped name would otherwise start a new TRAINING experiment without a word
      if (!opts.create && trashState(db)(exp) === undefined) {
        throw new NotFoundError(
          `no experiment named "${exp}" in ${db.path}; check the name with \`mldb ls\`, or add --create to start a new one`,
          'experiment',
          exp,
        )
      }
      db.addMetricValue(exp, name, opts.step, value, opts.split === undefined ? {} : { split: opts.split })
    })
}
