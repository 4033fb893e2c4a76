// Both clients read one word list (docs/series-directions.json) and apply one rule
// (docs/schema.md, Series directions): the same direction for every name, including
// names built to hit the rule's corners (camelCase, digits, separators, suffixes).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { seriesDirection } from '../../src/index.js'
import { pythonEnv, REPO_ROOT } from './lib/python.js'

const home = mkdtempSync(join(tmpdir(), 'mldb-py-dir-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

const words = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'series-directions.json'), 'utf8')) as { min: string[]; max: string[] }

/** Every word in the list in many shapes, plus names the list does not know. */
function names(): string[] {
  const out = new Set<string>([
    '',
    'x',
    'lr',
    'heatmap',
    'dancer',
    'Ünïcödé_acc',
    'top-1 acc',
    'acc@5',
    'ACC',
    'valAcc',
    'mAP',
    'a1B2C',
    'loss_acc',
    'acc_loss',
  ])
  for (const w of [...words.min, ...words.max]) {
    const cap = w[0]?.toUpperCase() + w.slice(1)
    for (const n of [w, w.toUpperCase(), `val_${w}`, `val${cap}`, `train${w}`, `${w}2`, `${w}_rate`, `mean ${w}`, `${w}-drop`, `x/${w}`, `${w}/y`]) out.add(n)
  }
  return [...out]
}

it('TypeScript and Python give every name the same direction', () => {
  const all = names()
  const py = spawnSync(
    'python3',
    ['-c', 'import json, sys\nfrom mldb import series_direction\nprint(json.dumps([series_direction(k) for k in json.load(sys.stdin)]))'],
    {
      env: { ...pythonEnv(), HOME: home },
      input: JSON.stringify(all),
      encoding: 'utf8',
    },
  )
  expect(py.stderr).toBe('')
  const fromPython = JSON.parse(py.stdout) as string[]
  const fromTs = all.map((k) => seriesDirection(k, {}))
  const differ = all.filter((_, i) => fromPython[i] !== fromTs[i])
  expect(differ).toEqual([])
  expect(all.length).toBeGreaterThan(500)
})
