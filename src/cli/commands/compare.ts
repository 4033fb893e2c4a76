import type { Command } from 'commander'
import type { ExperimentDetail } from '../../api/database.js'
import { UsageError } from '../errors.js'
import { duration, formatNumber, formatParam } from '../format.js'
import { color, colorStatus, printJson, printTable } from '../output.js'
import { openReader, withSource } from '../reader.js'

/** `mldb compare A B ...`: params side by side with differences marked, then each series' last and best (min or max, as the series is optimised). */
export function registerCompare(program: Command): void {
  withSource(program.command('compare'))
    .description('params side by side (differences marked with *), then the last and best value of each series')
    .argument('<experiments...>', 'two or more experiment names')
    .option('--json', 'print JSON')
    .action(async (names: string[], opts: { db?: string; server?: string; json?: boolean }) => {
      if (names.length < 2) throw new UsageError('compare needs at least two experiments')
      using db = openReader(opts)
      const exps: ExperimentDetail[] = []
      for (const n of names) exps.push(await db.getExperiment(n))
      const paramKeys = [...new Set(exps.flatMap((e) => Object.keys(e.params)))].sort()
      const params = paramKeys.map((k) => {
        const values = exps.map((e) => (k in e.params ? e.params[k] : null))
        return { key: k, values, differs: new Set(values.map((v) => JSON.stringify(v))).size > 1 }
      })
      const seriesKeys = [...new Set(exps.flatMap((e) => Object.keys(e.series)))].sort()
      const series = seriesKeys.map((k) => {
        const s = exps.map((e) => e.series[k])
        const mode = db.seriesDirection(k)
        return {
          key: k,
          mode,
          last: s.map((x) => (x ? x.last : null)),
          best: s.map((x) => (x ? (mode === 'min' ? x.min : x.max) : null)),
        }
      })
      if (opts.json) {
        printJson({ experiments: exps.map((e) => e.name), status: exps.map((e) => e.status), params, series })
        return
      }
      const head = ['', ...exps.map((e) => e.name)]
      const right = head.map((_, i) => (i === 0 ? 'left' : 'right') as 'left' | 'right')
      const rows: string[][] = [
        ['status', ...exps.map((e) => colorStatus(e.status))],
        ['duration', ...exps.map((e) => duration(e.durationMs))],
      ]
      for (const p of params) {
        const label = p.differs ? color.yellow(`* ${p.key}`) : `  ${p.key}`
        rows.push([label, ...p.values.map((v, i) => (hasParam(exps[i], p.key) ? formatParam(v) : '-'))])
      }
      for (const s of series) {
        rows.push([`  ${s.key} last`, ...s.last.map((v) => formatNumber(v))])
        const bestValues = s.best.filter((v): v is number => v !== null && !Number.isNaN(v))
        const winner = bestValues.length ? (s.mode === 'min' ? Math.min(...bestValues) : Math.max(...bestValues)) : undefined
        rows.push([
          `  ${s.key} ${s.mode}`,
          ...s.best.map((v) => (v !== null && v === winner && exps.length > 1 ? color.green(formatNumber(v)) : formatNumber(v))),
        ])
      }
      printTable(head, rows, right)
    })
}

function hasParam(e: ExperimentDetail | undefined, key: string): boolean {
  return e !== undefined && key in e.params
}
