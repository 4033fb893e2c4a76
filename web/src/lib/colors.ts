// One colour per experiment, stable across charts; Tableau 20-like, readable on white.
const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#e6550d',
  '#31a354',
  '#843c39',
  '#756bb1',
  '#636363',
  '#bd9e39',
  '#3182bd',
  '#de9ed6',
  '#6baed6',
]

/** The colour of the i-th experiment in a chart. */
export function runColor(i: number): string {
  return PALETTE[i % PALETTE.length] as string
}

/** The colour with an alpha, for min/max bands. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}

/** The colour of a status badge. */
export const STATUS_COLORS: Record<string, string> = {
  PENDING: '#6b7280',
  TRAINING: '#2563eb',
  VALIDATING: '#7c3aed',
  COMPLETE: '#16a34a',
  FAILED: '#dc2626',
  KILLED: '#ea580c',
  LOST: '#a16207',
}
