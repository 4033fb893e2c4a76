// How the dashboard reads back logTable and logHistogram files (web/src/lib/media-data.ts):
// the files the TypeScript client writes parse to what was logged, and histograms
// logged with different buckets share one value axis without losing counts.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { heatGrid, parseHistogram, parseTable, spread } from '../../web/src/lib/media-data.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

describe('the dashboard reading media files', () => {
  const ctx = freshDatabasePerTest()

  it('reads a CSV table back cell for cell, quotes, commas and newlines included', () => {
    const rows = [
      ['plain', 1],
      ['a, "quoted"\nline', null],
    ]
    const f = ctx.db.logTable('t', 'preds', 0, { columns: ['text', 'n'], rows }, { format: 'csv' })
    expect(parseTable(readFileSync(f.path, 'utf8'), f.meta?.format)).toEqual({
      columns: ['text', 'n'],
      rows: [
        ['plain', '1'],
        ['a, "quoted"\nline', ''],
      ],
    })
    const j = ctx.db.logTable('t', 'preds', 1, [{ label: 'cat', score: 0.5 }])
    expect(parseTable(readFileSync(j.path, 'utf8'), j.meta?.format)).toEqual({ columns: ['label', 'score'], rows: [['cat', 0.5]] })
  })

  it('puts histograms of different ranges on one axis, sharing a bucket among the cells it overlaps', () => {
    const a = ctx.db.logHistogram('t', 'w', 0, { edges: [0, 2], counts: [4] })
    const b = ctx.db.logHistogram('t', 'w', 1, { edges: [2, 3, 4], counts: [1, 3] })
    const grid = heatGrid(
      [a, b].map((f) => ({ step: f.step, h: parseHistogram(readFileSync(f.path, 'utf8')) })),
      4,
    )
    expect([grid.lo, grid.hi]).toEqual([0, 4])
    // step 0: 4 values over [0, 2) -> two cells of 2; step 1: 1 in [2, 3), 3 in [3, 4); each scaled to its largest
    expect(grid.columns.map((c) => [c.step, c.total, c.cells])).toEqual([
      [0, 4, [1, 1, 0, 0]],
      [1, 4, [0, 0, 1 / 3, 1]],
    ])
  })

  it('samples many steps evenly, keeping the first and the last', () => {
    expect(spread([0, 1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([0, 4, 8])
    expect(spread([1, 2], 5)).toEqual([1, 2])
  })
})
