import Table from 'cli-table3'
import pc from 'picocolors'
import { toJson } from '../json.js'

/** Colour only on a terminal, and never with NO_COLOR (https://no-color.org). */
export function colorWanted(stream: NodeJS.WriteStream = process.stdout): boolean {
  const noColor = process.env.NO_COLOR
  return Boolean(stream.isTTY) && (noColor === undefined || noColor === '')
}

/** picocolors, switched on or off for stdout. */
export const color = pc.createColors(colorWanted())

/** Writes a line to stdout. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`)
}

/** Writes a value as mldb JSON (NaN/±Infinity as strings), pretty on a terminal. */
export function printJson(value: unknown): void {
  process.stdout.write(`${toJson(value, process.stdout.isTTY ? 2 : undefined)}\n`)
}

/** Terminal width, or unlimited when piped. */
export function terminalWidth(): number {
  return process.stdout.isTTY ? process.stdout.columns || 100 : Number.POSITIVE_INFINITY
}

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
}

/** Cell alignment per column. */
export type Align = 'left' | 'right'

/**
 * An aligned table without borders (like `docker ps`), header dimmed on a terminal.
 * Columns past the terminal width are dropped from the right; returns the text
 * and how many columns were dropped.
 */
export function renderTable(head: string[], rows: string[][], align: Align[] = []): { text: string; dropped: number } {
  const width = terminalWidth()
  let n = head.length
  for (;;) {
    const t = new Table({
      head: head.slice(0, n).map((h) => color.bold(h)),
      chars: BORDERLESS,
      style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
      colAligns: align.slice(0, n).map((a) => a ?? 'left'),
    })
    for (const r of rows) t.push(r.slice(0, n))
    const text = t
      .toString()
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
    const widest = Math.max(...text.split('\n').map((l) => visibleLength(l)))
    if (widest <= width || n <= 2) return { text, dropped: head.length - n }
    n--
  }
}

/** Prints a table (or a note when there are no rows). */
export function printTable(head: string[], rows: string[][], align: Align[] = []): void {
  const { text, dropped } = renderTable(head, rows, align)
  out(text)
  if (dropped > 0) out(color.dim(`(${dropped} more column${dropped === 1 ? '' : 's'} do not fit the terminal; pick some with --columns or use --json)`))
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
const ANSI = /\u001b\[[0-9;]*m/g

/** Length of a string as shown, without colour codes. */
export function visibleLength(s: string): number {
  return [...s.replace(ANSI, '')].length
}

/** Colours a status: green COMPLETE, red FAILED/LOST, yellow KILLED, cyan while training. */
export function colorStatus(status: string): string {
  switch (status) {
    case 'COMPLETE':
      return color.green(status)
    case 'FAILED':
    case 'LOST':
      return color.red(status)
    case 'KILLED':
      return color.yellow(status)
    case 'TRAINING':
    case 'VALIDATING':
      return color.cyan(status)
    default:
      return status
  }
}
