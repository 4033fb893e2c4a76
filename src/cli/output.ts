import pc from 'picocolors'
import { toJson } from '../json.js'
import { writeStdout } from './write-all.js'

/** Colour only on a terminal, and never with NO_COLOR (https://no-color.org). */
export function colorWanted(stream: NodeJS.WriteStream = process.stdout): boolean {
  const noColor = process.env.NO_COLOR
  return Boolean(stream.isTTY) && (noColor === undefined || noColor === '')
}

/** picocolors, switched on or off for stdout. */
export const color = pc.createColors(colorWanted())

/**
 * Writes a line to stdout, all of it (a slow reader is waited for) or an error;
 * synchronous, so lines never reorder and a failure reaches the command.
 */
export function out(line = ''): void {
  writeStdout(`${line}\n`)
}

/** Writes a value as mldb JSON (NaN/±Infinity as strings), pretty on a terminal. */
export function printJson(value: unknown): void {
  writeStdout(`${toJson(value, process.stdout.isTTY ? 2 : undefined)}\n`)
}

/** Terminal width, or unlimited when piped. */
export function terminalWidth(): number {
  return process.stdout.isTTY ? process.stdout.columns || 100 : Number.POSITIVE_INFINITY
}

/** Text with each U+0000 (stored before mldb refused it) shown as ␀: a terminal prints it raw (`ad^@am`) or drops it. */
export const showNul = (text: string): string => text.replaceAll('\u0000', '␀')

/** Cell alignment per column. */
export type Align = 'left' | 'right'

/**
 * An aligned table without borders (like `docker ps`), header bold on a terminal.
 * Columns past the terminal width are dropped: the lowest `priority` first
 * (`mldb ls` drops params before metrics), the rightmost among equals, never the
 * first two; returns the text and how many columns were dropped. Hand-written
 * rather than cli-table3, whose rendering grew quadratically (10,000 rows took
 * 4 s, `mldb sql` over 30,000 rows over a minute); this is linear. A line break
 * inside a cell shows as ⏎, a tab as ⇥, a U+0000 (stored before mldb refused it) as ␀.
 *
 * @example renderTable(['name', 'lr', 'loss'], [['a', '0.1', '0.3']], ['left', 'right', 'right'], [2, 0, 1])
 */
export function renderTable(head: string[], rows: string[][], align: Align[] = [], priority: number[] = []): { text: string; dropped: number } {
  // a tab (names may hold one) would jump to the terminal's next tab stop and push the later columns out of line
  const lines = [head.map((h) => color.bold(h)), ...rows.map((r) => r.map((cell) => cell.replace(/\r?\n/g, '⏎').replaceAll('\t', '⇥')).map(showNul))]
  const widths = head.map(() => 0)
  const sizes = lines.map((r) =>
    head.map((_, c) => {
      const w = visibleLength(r[c] ?? '')
      if (w > (widths[c] as number)) widths[c] = w
      return w
    }),
  )
  const limit = terminalWidth()
  const kept = head.map((_, c) => c)
  const total = () => kept.reduce((sum, c) => sum + (widths[c] as number), 0) + 2 * (kept.length - 1)
  while (kept.length > 2 && total() > limit) {
    let drop = kept.length - 1
    for (let k = kept.length - 1; k >= 2; k--) {
      if ((priority[kept[k] as number] ?? 0) < (priority[kept[drop] as number] ?? 0)) drop = k
    }
    kept.splice(drop, 1)
  }
  const text = lines
    .map((r, i) =>
      kept
        .map((c) => {
          const cell = r[c] ?? ''
          const pad = ' '.repeat((widths[c] as number) - (sizes[i]?.[c] as number))
          return align[c] === 'right' ? pad + cell : cell + pad
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
  return { text, dropped: head.length - kept.length }
}

/** Prints a table (or a note when there are no rows); see {@link renderTable} for `priority`. */
export function printTable(head: string[], rows: string[][], align: Align[] = [], priority: number[] = []): void {
  const { text, dropped } = renderTable(head, rows, align, priority)
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
