/** A small SVG line chart of train/valid loss, saved beside the model as a plot file. */
export function lossPlotSvg(train: number[], valid: number[], title: string): string {
  const w = 480
  const h = 300
  const pad = 40
  const all = [...train, ...valid].filter(Number.isFinite)
  const max = Math.max(...all, 1e-9)
  const min = Math.min(...all, 0)
  const n = Math.max(train.length, valid.length, 2)
  const x = (i: number) => pad + (i / (n - 1)) * (w - 2 * pad)
  const y = (v: number) => h - pad - ((v - min) / (max - min || 1)) * (h - 2 * pad)
  const line = (vals: number[]) => vals.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')
  const esc = (s: string) => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] as string)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">
<rect width="${w}" height="${h}" fill="#fff"/>
<text x="${pad}" y="20">${esc(title)}</text>
<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#888"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#888"/>
<text x="${pad - 4}" y="${pad + 4}" text-anchor="end">${max.toFixed(2)}</text>
<text x="${pad - 4}" y="${h - pad}" text-anchor="end">${min.toFixed(2)}</text>
<text x="${w - pad}" y="${h - pad + 16}" text-anchor="end">epoch ${n - 1}</text>
<path d="${line(train)}" fill="none" stroke="#2563eb" stroke-width="2"/>
<path d="${line(valid)}" fill="none" stroke="#dc2626" stroke-width="2" stroke-dasharray="5,3"/>
<text x="${w - pad - 90}" y="${pad}" fill="#2563eb">train loss</text>
<text x="${w - pad - 90}" y="${pad + 16}" fill="#dc2626">valid loss</text>
</svg>
`
}
