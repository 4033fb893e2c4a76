import type { Command } from 'commander'
import { fileProblem } from '../../api/files.js'
import { firstStepReaching, hasLiveSeries } from '../../api/series-lookup.js'
import { MldbError, NotFoundError } from '../../errors.js'
import { openForRead, withDb } from '../db.js'
import { formatBytes, formatNumber } from '../format.js'
import { color, colorStatus, out, printJson } from '../output.js'

/** `mldb best SERIES`: the experiment with the lowest (or highest) value and its model file(s). */
export function registerBest(program: Command): void {
  withDb(program.command('best'))
    .description('the experiment with the lowest value ever reached in a series (highest with --max), and its model file(s)')
    .argument('<series>', "a series such as valid/loss (split/name) or rmse; 'metrics.' is optional")
    .option('--max', 'higher is better (accuracy, f1, ...)')
    .option('-w, --where <filter>', 'only experiments matching a filter, e.g. "status = \'COMPLETE\'"')
    .option('-p, --project <name>', 'only this project')
    .option('--json', 'print JSON')
    .action((series: string, opts: { db?: string; max?: boolean; where?: string; project?: string; json?: boolean }) => {
      // 'metrics.' is optional, and so are the filter language's backticks (metrics.`top-1 acc`)
      const key = series.replace(/^metrics?\./i, '').replace(/^`([^`]*)`$/, '$1')
      const mode = opts.max ? 'max' : 'min'
      using db = openForRead(opts.db)
      if (!hasLiveSeries(db, key)) throw new NotFoundError(`no experiment has a series "${key}"; see the series of one with \`mldb show EXP\``, 'series', key)
      const best = db.bestExperiment(key, mode, { where: opts.where, project: opts.project })
      if (!best) throw new MldbError(`no experiment${opts.where || opts.project ? ' matching the filter' : ''} has a value in "${key}" that is not NaN`)
      const step = firstStepReaching(db, best.name, key, best.best)
      const models = db.getFiles(best.name, { kind: 'model' }).map((f) => ({ ...f, problem: fileProblem(f) ?? null }))
      if (opts.json) {
        printJson({ series: key, mode, value: best.best, step, experiment: best, files: models })
        return
      }
      out(`${color.bold(best.name)}  ${colorStatus(best.status)}  ${color.dim(`project ${best.project}`)}`)
      out(`${mode} ${key} = ${color.bold(formatNumber(best.best))}${step === null ? '' : ` at step ${step}`}`)
      if (models.length === 0) out(color.dim('no model file recorded (mldb file EXP PATH --kind model)'))
      for (const f of models) {
        const mark = f.problem === 'missing' ? color.red(' MISSING') : f.problem === 'changed' ? color.yellow(' CHANGED') : ''
        out(`model ${f.path}  ${color.dim(formatBytes(f.size))}${f.step === null ? '' : color.dim(` step ${f.step}`)}${mark}`)
      }
    })
}
