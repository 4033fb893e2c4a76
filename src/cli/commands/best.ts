import type { Command } from 'commander'
import { MldbError, NotFoundError } from '../../errors.js'
import type { FileRecord } from '../../store/types.js'
import { UsageError } from '../errors.js'
import { formatBytes, formatNumber } from '../format.js'
import { color, colorStatus, out, printJson } from '../output.js'
import { openReader, type Reader, withSource } from '../reader.js'

type Checked = FileRecord & { problem: 'missing' | 'changed' | null }

const check = (db: Reader, f: FileRecord | null): Checked | null => (f ? { ...f, problem: db.fileProblem(f) } : null)

/** "a", "a or b", "a, b or c". */
function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}

/** One line about a recorded file: its path, size, step and whether it is still what was recorded. */
function fileLine(label: string, f: Checked): string {
  const mark = f.problem === 'missing' ? color.red(' MISSING') : f.problem === 'changed' ? color.yellow(' CHANGED') : ''
  return `${label} ${f.kind} ${f.path}  ${color.dim(formatBytes(f.size))}${f.step === null ? '' : color.dim(` step ${f.step}`)}${mark}`
}

/**
 * `mldb best SERIES`: the experiment with the best value ever reached in a
 * series, in the series' direction (loss-like lowest, accuracy-like highest;
 * `--min`/`--max` to choose), with the file recorded at or before the best
 * step and the final model beside it.
 */
export function registerBest(program: Command): void {
  withSource(program.command('best'))
    .description(
      'the experiment with the best value ever reached in a series (lowest for loss-like names, highest for accuracy-like ones), the file saved at that step and the final model',
    )
    .argument('<series>', "a series such as valid/loss (split/name) or rmse; 'metrics.' is optional")
    .option('--max', 'higher is better (the default for acc, f1, auc, ...; see "directions" in docs/cli.md)')
    .option('--min', 'lower is better (the default for loss, error, rmse, ...)')
    .option('-w, --where <filter>', 'only experiments matching a filter, e.g. "status = \'COMPLETE\'"')
    .option('-p, --project <name>', 'only this project')
    .option('--json', 'print JSON')
    .action(async (series: string, opts: { db?: string; server?: string; max?: boolean; min?: boolean; where?: string; project?: string; json?: boolean }) => {
      if (opts.max && opts.min) throw new UsageError('give --min or --max, not both')
      // 'metrics.' is optional, and so are the filter language's backticks (metrics.`top-1 acc`)
      const key = series.replace(/^metrics?\./i, '').replace(/^`([^`]*)`$/, '$1')
      using db = openReader(opts)
      if (!(await db.hasSeries(key))) {
        const similar = await db.similarSeries(key)
        const hint = similar.length ? `did you mean ${orList(similar)}?` : 'see the series of one with `mldb show EXP`'
        throw new NotFoundError(`no experiment has a series "${key}"; ${hint}`, 'series', key)
      }
      const best = await db.bestExperiment(key, opts.max ? 'max' : opts.min ? 'min' : undefined, { where: opts.where, project: opts.project })
      if (!best) throw new MldbError(`no experiment${opts.where || opts.project ? ' matching the filter' : ''} has a value in "${key}" that is not NaN`)
      const { bestFile, finalFile, step, mode } = best
      const models = (await db.modelFiles(best.name)).map((f) => check(db, f) as Checked)
      const atBest = check(db, bestFile)
      const final = check(db, finalFile)
      if (opts.json) {
        const { bestFile: _b, finalFile: _f, ...experiment } = best
        printJson({ series: key, mode, value: best.best, step, experiment, bestFile: atBest, finalFile: final, files: models })
        return
      }
      out(`${color.bold(best.name)}  ${colorStatus(best.status)}  ${color.dim(`project ${best.project}`)}`)
      out(`${mode} ${key} = ${color.bold(formatNumber(best.best))}${step === null ? '' : ` at step ${step}`}`)
      if (atBest && final && atBest.id === final.id) out(fileLine('best and final', atBest))
      else {
        if (atBest) out(fileLine('best ', atBest))
        else if (step !== null && final) out(color.dim(`no model or checkpoint recorded at or before step ${step}`))
        if (final) out(fileLine('final', final))
      }
      if (!atBest && !final) out(color.dim('no model file recorded (mldb file EXP PATH --kind model, or --kind checkpoint --step N)'))
    })
}
