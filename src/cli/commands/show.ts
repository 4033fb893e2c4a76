import type { Command } from 'commander'
import type { Bucket } from '../../store/downsample.js'
import { duration, formatBytes, formatNumber, formatParam, relativeTime, sparkline } from '../format.js'
import { color, colorStatus, out, printJson, printTable, showNul } from '../output.js'
import { openReader, withSource } from '../reader.js'

/** How many characters a sparkline in `mldb show` takes. */
const SPARK_WIDTH = 24
/** Sparklines asked of a server at once. */
const SPARKS_AT_ONCE = 8

/** `mldb show EXP`: everything about one experiment; each series' best is its min or max, as the series is optimised. */
export function registerShow(program: Command): void {
  withSource(program.command('show'))
    .description('show one experiment: status history, params, tags, notes, series with sparklines, files')
    .argument('<experiment>', 'the experiment name')
    .option('--json', 'print JSON')
    .action(async (exp: string, opts: { db?: string; server?: string; json?: boolean }) => {
      using db = openReader(opts)
      const d = await db.getExperiment(exp)
      const files = d.files.map((f) => ({ ...f, problem: db.fileProblem(f) }))
      // each series says which way it is optimised, so its best is min or max
      const directions = new Map(Object.keys(d.series).map((k) => [k, db.seriesDirection(k)]))
      if (opts.json) {
        const series = Object.fromEntries(Object.entries(d.series).map(([k, s]) => [k, { ...s, direction: directions.get(k) }]))
        printJson({ ...d, series, files })
        return
      }
      const now = Date.now()
      out(`${color.bold(showNul(d.name))}  ${color.dim(`project ${showNul(d.project)}`)}`)
      const facts = [
        `status ${colorStatus(d.status)}`,
        `started ${relativeTime(d.startedAt ?? d.createdAt, now)}`,
        `duration ${duration(d.durationMs)}`,
        d.host ? `host ${showNul(d.host)}${d.pid ? ` (pid ${d.pid})` : ''}` : '',
        d.deletedAt !== null ? color.yellow(`in the trash since ${relativeTime(d.deletedAt, now)}`) : '',
      ].filter(Boolean)
      out(facts.join('   '))
      out(`history ${d.statusHistory.map((h) => `${colorStatus(h.status)} ${color.dim(relativeTime(h.time, now))}`).join(' → ')}`)

      const params = Object.entries(d.params)
      if (params.length) {
        out()
        out(color.bold('params'))
        printTable(
          ['key', 'value'],
          params.map(([k, v]) => [k, formatParam(v)]),
        )
      }
      const tags = Object.entries(d.tags)
      if (tags.length) {
        out()
        out(color.bold('tags'))
        printTable(['key', 'value'], tags)
      }
      if (d.notes) {
        out()
        out(color.bold('notes'))
        for (const line of showNul(d.notes).split('\n')) out(`  ${line}`)
      }
      const series = Object.values(d.series)
      if (series.length) {
        // a server answers each sparkline in its own request: a few at a time, not hundreds of connections at once
        const sparks: Bucket[][] = []
        for (let i = 0; i < series.length; i += SPARKS_AT_ONCE) {
          sparks.push(...(await Promise.all(series.slice(i, i + SPARKS_AT_ONCE).map((s) => db.downsample(d.name, s.key, SPARK_WIDTH)))))
        }
        out()
        printTable(
          ['series', 'count', 'steps', 'last', 'best', 'min', 'max', 'trend'],
          series.map((s, i) => {
            const buckets = sparks[i] ?? []
            const dir = directions.get(s.key) ?? 'min'
            return [
              s.key,
              String(s.count),
              // `..`, not `-`: a range from a negative step (-5..3) must not read as a subtraction
              s.firstStep === null ? '-' : `${s.firstStep}..${s.lastStep}`,
              formatNumber(s.last),
              `${formatNumber(dir === 'min' ? s.min : s.max)} ${color.dim(`(${dir})`)}`,
              formatNumber(s.min),
              formatNumber(s.max),
              sparkline(buckets.map((b) => b.last)),
            ]
          }),
          ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
        )
      }
      if (files.length) {
        out()
        printTable(
          ['file', 'kind', 'step', 'size', 'age', ''],
          files.map((f) => [
            f.path,
            f.kind,
            f.step === null ? '-' : String(f.step),
            formatBytes(f.size),
            relativeTime(f.mtime, now),
            f.problem === 'missing' ? color.red('MISSING') : f.problem === 'changed' ? color.yellow('CHANGED') : '',
          ]),
          ['left', 'left', 'right', 'right', 'right', 'left'],
        )
      }
    })
}
