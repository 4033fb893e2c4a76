// One colour per experiment (or group), stable across charts. The first ten are
// Okabe–Ito and Paul Tol colours, told apart with the common colour-vision
// deficiencies; past ten, hues step by the golden angle in OKLCH while the
// lightness cycles through three levels, so neighbours differ in lightness too
// (which survives colour blindness) and no colour repeats.
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#882255', '#117733', '#999933', '#332288']

const LIGHTNESS = [0.5, 0.66, 0.4]

/** OKLCH to an sRGB hex string (gamut-clipped). */
function oklch(l: number, c: number, hDeg: number): string {
  const h = (hDeg * Math.PI) / 180
  const a = c * Math.cos(h)
  const b = c * Math.sin(h)
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3
  const lin = [
    4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
    -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
    -0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_,
  ]
  return `#${lin
    .map((v) => {
      const x = Math.min(1, Math.max(0, v))
      const srgb = x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055
      return Math.round(srgb * 255)
        .toString(16)
        .padStart(2, '0')
    })
    .join('')}`
}

/**
 * The colour of the i-th experiment (or group) in a chart.
 *
 * @example runColor(0) // '#0072b2'
 */
export function runColor(i: number): string {
  const fixed = PALETTE[i]
  if (fixed) return fixed
  const k = i - PALETTE.length
  return oklch(LIGHTNESS[k % LIGHTNESS.length] as number, 0.13, (k * 137.508 + 20) % 360)
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
