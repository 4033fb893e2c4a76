import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseJsonNumbers } from '../../src/json.js'
import { buildCli, ok, tempHome } from './helpers.js'

// MLflow logs step -1 (an evaluation before training): the CLI takes, shows and
// ranks negative steps as it does any other (docs/cli.md).
const t = tempHome()
const db = ['--db', t.db]

beforeAll(() => {
  buildCli()
  ok(t.home, ['log', 'neg', 'loss', '2', '--step', '-1', '--create', ...db])
  ok(t.home, ['log', 'neg', 'loss', '0.2', '--step=-5', ...db])
  ok(t.home, ['log', 'neg', 'loss', '0.5', '--step', '3', ...db])
  writeFileSync(join(t.home, 'early.ckpt'), 'weights')
  ok(t.home, ['file', 'neg', join(t.home, 'early.ckpt'), '--kind', 'checkpoint', '--step', '-5', ...db])
})
afterAll(() => t.cleanup())

describe('negative steps in the CLI', () => {
  it('show writes a series range from a negative step without reading as a subtraction', () => {
    const line = ok(t.home, ['show', 'neg', ...db])
      .split('\n')
      .find((l) => l.startsWith('loss '))
    expect(line).toMatch(/^loss\s+3\s+-5\.\.3\s+0\.5\s+/)
  })

  it('show --json keeps the steps as numbers', () => {
    const shown = parseJsonNumbers(ok(t.home, ['show', 'neg', '--json', ...db])) as {
      series: Record<string, { firstStep: number; lastStep: number }>
      files: { step: number }[]
    }
    expect(shown.series.loss).toMatchObject({ firstStep: -5, lastStep: 3 })
    expect(shown.files.map((f) => f.step)).toEqual([-5])
  })

  it('best names a negative step and the checkpoint saved there', () => {
    const out = ok(t.home, ['best', 'loss', ...db])
    expect(out).toContain('min loss = 0.2 at step -5')
    expect(out).toContain('early.ckpt')
  })
})
