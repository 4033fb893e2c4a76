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

/** Cell alignment per column. */
export type Align = 'left' | 'right'

/**
 * An aligned table without borders (like `docker ps`), header bold on a terminal.
 * Columns past the terminal width are dropped from the right; returns the text
 * and how many columns were dropped. Hand-written rather than cli-table3, whose
 * rendering grew quadratically (10,000 rows took 4 s, `mldb sql` over 30,000
 * rows over a minute); this is linear. A line break inside a cell shows as ⏎.
 */
export function renderTable(head: string[], rows: string[][], align: Align[] = []): { text: string; dropped: number } {
  const lines = [head.map((h) => color.bold(h)), ...rows.map((r) => r.map((cell) => cell.replace(/\r?\n/g, '⏎')))]
  const widths = head.map(() => 0)
  const sizes = lines.map((r) =>
    head.map((_, c) => {
      const w = visibleLength(r[c] ?? '')
      if (w > (widths[c] as number)) widths[c] = w
      return w
    }),
  )
  const limit = terminalWidth()
  let n = head.length
  const total = (k: number) => widths.slice(0, k).reduce((a, b) => a + b, 0) + 2 * (k - 1)
  while (n > 2 && total(n) > limit) n--
  const text = lines
    .map((r, i) =>
      head
        .slice(0, n)
        .map((_, c) => {
          const cell = r[c] ?? ''
          const pad = ' '.repeat((widths[c] as number) - (sizes[i]?.[c] as number))
          return align[c] === 'right' ? pad + cell : cell + pad
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
  return { text, dropped: head.length - n }
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
