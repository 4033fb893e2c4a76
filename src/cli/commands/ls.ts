import type { Command } from 'commander'
import { ValidationError } from '../../errors.js'
import { ATTRIBUTE_NAMES, type Column, columnFor, defaultColumns, isShortColumn } from '../columns.js'
import { color, out, printJson, printTable } from '../output.js'
import { parseCount, parseList } from '../parse.js'
import { openReader, type Reader, withSource } from '../reader.js'
import { fileHasSeries, type ShortKind, shortKind } from '../short-names.js'

interface LsOptions {
  db?: string
  server?: string
  project?: string
  status?: string
  where?: string
  sort?: string
  limit: number
  columns?: string
  trash?: boolean
  json?: boolean
}

/** `min(valid/loss)`, `max( metrics.valid/acc )`: an aggregate over one series. */
const AGGREGATE = /^(min|max|last|count)\s*\(\s*(.*?)\s*\)$/is
const KEY_PREFIX = /^(params?|tags?|metrics?)\.(.*)$/is
/** What the filter tokenizer reads as one key without quotes (see src/query/tokenize.ts). */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\-/:]*$/

/** `metrics.` + key, the key in backticks when it has spaces or other characters the filter language would split on. */
function quotedField(prefix: string, key: string): string {
  return PLAIN_KEY.test(key) || key.includes('`') ? `${prefix}${key}` : `${prefix}\`${key}\``
}

/** `lr desc` → the field `lr` and ` desc`. */
function splitSort(sort: string): { field: string; dir: string } {
  const m = /^(.*?)(\s+(?:asc|desc))?\s*$/is.exec(sort.trim()) as RegExpExecArray
  return { field: m[1] ?? '', dir: m[2] ?? '' }
}

/**
 * What `--sort` hands the listing. Text the filter language reads as it is
 * goes as it is, so the store resolves short forms as it does for `--where`
 * (`lr` is params.lr, `valid/loss` metrics.valid/loss, `min(valid/loss)` the
 * series) and refuses a name that is nothing or both, instead of sorting by an
 * empty series. Only a key the language would split (`top-1 acc`) is
 * backtick-quoted, under the prefix `spacedKind` gives (see sortKey; a series
 * without it): `--sort 'top-1 acc desc'`, `max(top-1 acc)`.
 */
export function sortExpression(sort: string, spacedKind?: ShortKind): string {
  const { field, dir } = splitSort(sort)
  const keyed = KEY_PREFIX.exec(field)
  if (keyed) return `${quotedField(`${keyed[1]}.`, keyed[2] ?? '')}${dir}`
  const agg = AGGREGATE.exec(field)
  if (agg) {
    const inner = agg[2] ?? ''
    if (/^metrics?\./i.test(inner) || PLAIN_KEY.test(inner)) return `${agg[1]}(${inner})${dir}`
    return `${agg[1]}(${quotedField('metrics.', inner)})${dir}`
  }
  // a plain name, an attribute, or something malformed (`min(valid/loss`, `mean(x)`) the parser should judge
  if (PLAIN_KEY.test(field) || ATTRIBUTE_NAMES.includes(field.toLowerCase()) || /[()]/.test(field)) return `${field}${dir}`
  return `${quotedField(`${spacedKind ?? 'metrics'}.`, field)}${dir}`
}

/**
 * The sort key for the listing, with the short names the filter language has
 * no form for (`batch size`, `max(top-1 acc)`) judged here by the rule the
 * store applies to `lr` (short-names.ts): without this a param with a space
 * was sorted as a series no run has, and so was a misspelt series inside
 * max(): the default order, exit 0.
 */
async function sortKey(db: Reader, sort: string): Promise<string> {
  const { field } = splitSort(sort)
  const agg = AGGREGATE.exec(field)
  if (agg) {
    const inner = agg[2] ?? ''
    const fn = (agg[1] ?? '').toLowerCase()
    if (!/^metrics?\./i.test(inner) && !PLAIN_KEY.test(inner) && !(await fileHasSeries(db, inner)))
      throw new ValidationError(`--sort: unknown series "${inner}" in ${fn}(): no experiment has it; write ${fn}(metrics.<split>/<name>)`, 'sort')
    return sortExpression(sort)
  }
  const spaced = !(PLAIN_KEY.test(field) || KEY_PREFIX.test(field) || /[()]/.test(field) || ATTRIBUTE_NAMES.includes(field.toLowerCase()))
  return sortExpression(sort, spaced ? await shortKind(db, '--sort', field) : undefined)
}

/** What each short name of `--columns` is in the file (short-names.ts); one that is both or neither is refused. */
async function columnKinds(db: Reader, names: readonly string[]): Promise<Map<string, ShortKind>> {
  const kinds = new Map<string, ShortKind>()
  for (const n of names) if (isShortColumn(n) && !kinds.has(n)) kinds.set(n, await shortKind(db, '--columns', n))
  return kinds
}

/** `mldb ls`: experiments, newest first. */
export function registerLs(program: Command): void {
  withSource(program.command('ls'))
    .description('list experiments, newest first, with their varied params and the latest value of each series')
    .option('-p, --project <name>', 'only this project')
    .option('-s, --status <status>', 'only this status (COMPLETE, FAILED, LOST, ...)')
    .option('-w, --where <filter>', 'a filter such as "params.lr < 0.1 and metrics.valid/loss < 0.3"')
    .option('--sort <field>', "a column, param or series (short forms as in --where), optionally with asc/desc: 'valid/loss', 'lr desc', 'min(valid/loss)'")
    .option('-n, --limit <n>', 'at most this many (0 for all)', parseCount, 50)
    .option('-c, --columns <list>', 'comma-separated columns: name,status,lr,valid/loss,tags.team,...')
    .option('--trash', 'list experiments in the trash instead')
    .option('--json', 'print JSON')
    .action(async (opts: LsOptions) => {
      using db = openReader(opts)
      const query = {
        project: opts.project,
        status: opts.status,
        where: opts.where,
        orderBy: opts.sort ? await sortKey(db, opts.sort) : undefined,
        trashed: opts.trash ?? false,
      }
      const names = parseList(opts.columns)
      // judged before listing, as --sort is, so a bad name is refused even when no row matches
      const kinds = opts.json ? new Map<string, ShortKind>() : await columnKinds(db, names)
      const rows = await db.listExperiments(query, opts.limit === 0 ? undefined : opts.limit)
      if (opts.json) {
        printJson(rows)
        return
      }
      const total = opts.limit === 0 || rows.length < opts.limit ? rows.length : await db.countExperiments(query)
      if (rows.length === 0) {
        process.stderr.write(opts.trash ? 'the trash is empty\n' : 'no experiments match\n')
        return
      }
      const now = Date.now()
      const columns: Column[] = names.length ? names.map((n) => columnFor(n, kinds)) : defaultColumns(rows)
      printTable(
        columns.map((c) => c.head),
        rows.map((e) => columns.map((c) => c.cell(e, now))),
        columns.map((c) => c.align),
        // columns the user picked go from the right; the defaults drop params before series
        names.length ? [] : columns.map((c) => c.priority),
      )
      if (total > rows.length) out(color.dim(`showing ${rows.length} of ${total} experiments; --limit 0 shows all`))
    })
}
