import Table from 'cli-table3'
import pc from 'picocolors'
import { type Figure, fmt } from './figure.js'

/** The benchmark table as printed by `npm run bench`. */
export function renderTable(figures: readonly Figure[]): string {
  const table = new Table({ head: ['figure', 'measured', 'target', 'baseline / peer (same run)', 'pass'], wordWrap: true, colWidths: [44, 16, 13, 46, 6] })
  for (const f of figures) {
    const digits = f.digits ?? (f.unit === 'ms' || f.unit === 'B' ? 1 : 0)
    const pass = f.pass === undefined ? '' : f.pass ? pc.green('pass') : pc.red('FAIL')
    table.push([`${f.label}\n[${f.key}]`, `${fmt(f.value, digits)} ${f.unit}`.trim(), f.target, f.baseline, pass])
  }
  return table.toString()
}
