import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tmp.js'

const root = resolve(import.meta.dirname, '../..')

describe('the npm package', () => {
  const t = tempDir()
  afterAll(() => t.cleanup())

  it("is importable as 'mldb' from a project that installs it", () => {
    if (!existsSync(join(root, 'dist/src/index.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root })
    const project = join(t.dir, 'project')
    mkdirSync(join(project, 'node_modules'), { recursive: true })
    symlinkSync(root, join(project, 'node_modules', 'mldb'), 'dir')
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module' }))
    writeFileSync(
      join(project, 'train.mjs'),
      `import { Database, expName } from 'mldb'
const db = new Database({ path: process.argv[2] })
const exp = expName('Pkg')
db.setExpStatus(exp, 'TRAINING')
db.addLossValue(exp, 'train', 0, 0.5)
db.setExpStatus(exp, 'COMPLETE')
console.log(JSON.stringify(db.query("SELECT STATUS FROM STATUS WHERE EXP_ID = ?", exp)))
db.close()
`,
    )
    const out = execFileSync(process.execPath, ['train.mjs', join(t.dir, 'p.db')], { cwd: project, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual([{ STATUS: 'COMPLETE' }])
  })
})
