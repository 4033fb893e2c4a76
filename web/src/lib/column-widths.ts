// Column widths that fit their content: the name column as wide as the longest
// name (up to a limit), param and series columns as wide as their header or
// widest value, so a sweep's columns fit the screen without horizontal scrolling.
import type { ExperimentSummary } from './api'
import type { ColumnSpec } from './columns'
import { num, paramText } from './format'

/** Text width in CSS pixels for a CSS font; an estimate where there is no canvas. */
type Measure = (text: string, font: string) => number

let ctx: CanvasRenderingContext2D | null | undefined
const cache = new Map<string, number>()

const measureText: Measure = (text, font) => {
  const key = `${font}\u0000${text}`
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  if (ctx === undefined) ctx = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d')
  let w: number
  if (ctx) {
    ctx.font = font
    w = ctx.measureText(text).width
  } else {
    w = text.length * 7.5
  }
  if (cache.size > 5000) cache.clear()
  cache.set(key, w)
  return w
}

/** The page's sans and mono font stacks, from styles.css. */
function fonts(): { sans: string; mono: string } {
  if (typeof document === 'undefined') return { sans: 'sans-serif', mono: 'monospace' }
  const style = getComputedStyle(document.documentElement)
  return { sans: style.fontFamily || 'sans-serif', mono: style.getPropertyValue('--mono').trim() || 'monospace' }
}

// cell padding (8 + 8), plus a pixel of slack against sub-pixel rounding
const PAD = 18
// a header also holds its sort mark (8 px + 4 px gap) and a right border
const HEAD_EXTRA = PAD + 13
const NAME = { min: 160, max: 420 }
const VALUE = { min: 56, max: 180 }
// Rows measured for value columns: the widest values are usually alike across a sweep.
const SAMPLE = 400

function cellText(e: ExperimentSummary, c: ColumnSpec): string {
  if (c.kind === 'param') return paramText(e.params[c.key])
  const s = e.series[c.key]
  if (!s || s.count === 0) return '—'
  return num(s[c.kind as 'last' | 'min' | 'max'])
}

/** The longest strings of a list by length (the widest by any font are among them). */
function longest(texts: Iterable<string>, n: number): string[] {
  const top: string[] = []
  for (const t of texts) {
    if (top.length < n) {
      top.push(t)
      top.sort((a, b) => b.length - a.length)
    } else if (t.length > (top[n - 1] as string).length) {
      top[n - 1] = t
      top.sort((a, b) => b.length - a.length)
    }
  }
  return top
}

/** The specs with widths fitted to the experiments' text (fixed columns other than name keep theirs). */
export function fitWidths(specs: readonly ColumnSpec[], exps: readonly ExperimentSummary[], measure: Measure = measureText): ColumnSpec[] {
  const { sans, mono } = fonts()
  const step = Math.max(1, Math.floor(exps.length / SAMPLE))
  const sample: ExperimentSummary[] = []
  for (let i = 0; i < exps.length; i += step) sample.push(exps[i] as ExperimentSummary)
  const clamp = (w: number, lim: { min: number; max: number }) => Math.min(lim.max, Math.max(lim.min, Math.ceil(w)))
  return specs.map((c) => {
    // headers are bold; value columns' headers are in the mono font of their cells (styles.css .cell.num)
    const head = measure(c.label, `600 12px ${c.kind === 'fixed' ? sans : mono}`) + HEAD_EXTRA
    if (c.id === 'name') {
      // every name counts here: a name cut short is the one thing this column must not do
      const names = longest(
        exps.map((e) => e.name),
        24,
      )
      const widest = Math.max(0, ...names.map((n) => measure(n, `500 13px ${sans}`)))
      return { ...c, width: clamp(Math.max(head, widest + PAD), NAME) }
    }
    if (c.kind === 'fixed') return c
    const texts = longest(
      sample.map((e) => cellText(e, c)),
      8,
    )
    const widest = Math.max(0, ...texts.map((t) => measure(t, `12px ${mono}`)))
    return { ...c, width: clamp(Math.max(head, widest + PAD), VALUE) }
  })
}
