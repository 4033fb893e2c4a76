import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

describe('the npm package', () => {
  it('ships the named SQL of sql/ beside migrations/', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? []
    expect(files).toEqual(expect.arrayContaining(['sql/status/derived.sql', 'sql/points/append-tail.sql', 'migrations/001-initial.sql']))
  })
})
