import { afterAll, beforeAll, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, ok, tempHome } from './helpers.js'

// Experiment and project names may hold a tab (MLflow's run names do). A raw tab in
// a table cell jumps to the terminal's next tab stop and pushes the later columns
// out of line, so a cell shows it as ⇥, as it shows a line break as ⏎.
const t = tempHome()
const db = ['--db', t.db]

beforeAll(() => {
  buildCli()
  using d = new Database({ path: t.db })
  d.startRun({ name: 'run\twith tab', project: 'team\tA' }).finish()
  d.startRun({ name: 'plain', project: 'default' }).finish()
})
afterAll(() => t.cleanup())

it('ls keeps its columns in line when a name holds a tab', () => {
  const lines = ok(t.home, ['ls', '--columns', 'name,project,status', ...db])
    .trimEnd()
    .split('\n')
  expect(lines).toHaveLength(3)
  expect(lines.join('\n')).not.toContain('\t')
  const tabbed = lines.find((l) => l.startsWith('run⇥with tab'))
  expect(tabbed).toMatch(/^run⇥with tab\s+team⇥A\s+COMPLETE$/)
  // every row's status starts in the header's status column
  const at = (lines[0] as string).indexOf('status')
  for (const l of lines.slice(1)) expect(l.indexOf('COMPLETE')).toBe(at)
})
