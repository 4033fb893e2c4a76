import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CONFIG, ConfigError, Database, resolveDbPath } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

describe('where the database is', () => {
  let t: ReturnType<typeof tempDir>
  let env: NodeJS.ProcessEnv
  beforeEach(() => {
    t = tempDir()
    env = { HOME: t.dir }
    CONFIG.db_path = undefined
  })
  afterEach(() => {
    CONFIG.db_path = undefined
    t.cleanup()
  })

  it('defaults to ~/.mldb/mldb.db', () => {
    expect(resolveDbPath(undefined, env)).toMatchObject({ path: join(t.dir, '.mldb', 'mldb.db'), source: 'default' })
  })

  it('reads db_path from ~/.mldb_config.json', () => {
    writeFileSync(join(t.dir, '.mldb_config.json'), JSON.stringify({ db_path: join(t.dir, 'from-config.db') }))
    expect(resolveDbPath(undefined, env)).toMatchObject({ path: join(t.dir, 'from-config.db'), source: 'config-file' })
  })

  it('prefers MLDB_DB_PATH over the config file, CONFIG over both, and the option over all', () => {
    writeFileSync(join(t.dir, '.mldb_config.json'), JSON.stringify({ db_path: join(t.dir, 'a.db') }))
    env.MLDB_DB_PATH = join(t.dir, 'b.db')
    expect(resolveDbPath(undefined, env)).toMatchObject({ path: join(t.dir, 'b.db'), source: 'env' })
    CONFIG.db_path = join(t.dir, 'c.db')
    expect(resolveDbPath(undefined, env)).toMatchObject({ path: join(t.dir, 'c.db'), source: 'CONFIG' })
    expect(resolveDbPath(join(t.dir, 'd.db'), env)).toMatchObject({ path: join(t.dir, 'd.db'), source: 'option' })
  })

  it('raises ConfigError naming the file for invalid JSON or a missing db_path', () => {
    const file = join(t.dir, '.mldb_config.json')
    writeFileSync(file, '{"db_path": ')
    expect(() => resolveDbPath(undefined, env)).toThrow(ConfigError)
    expect(() => resolveDbPath(undefined, env)).toThrow(file)
    writeFileSync(file, '{"path": "/x.db"}')
    expect(() => resolveDbPath(undefined, env)).toThrow(/db_path/)
  })

  it('takes a config file without db_path (other settings only) and uses the default database', () => {
    writeFileSync(join(t.dir, '.mldb_config.json'), JSON.stringify({ directions: { 'valid/score': 'max' } }))
    expect(resolveDbPath(undefined, env)).toMatchObject({ path: join(t.dir, '.mldb', 'mldb.db'), source: 'default' })
  })

  it('names an unknown key of the config file, so a typo is not silently ignored', () => {
    const file = join(t.dir, '.mldb_config.json')
    writeFileSync(file, JSON.stringify({ db_pth: '/x.db' }))
    expect(() => resolveDbPath(undefined, env)).toThrow(/unknown key "db_pth"/)
  })

  it('creates missing folders for a new database file', () => {
    const path = join(t.dir, 'deep', 'er', 'x.db')
    const db = new Database({ path })
    db.setExpStatus('e', 'PENDING')
    db.close()
    expect(new Database({ path }).getExpStatus('e')).toBe('PENDING')
  })

  it('uses CONFIG.db_path for new Database() like the seed overriding its global CONFIG', () => {
    mkdirSync(join(t.dir, 'x'))
    CONFIG.db_path = join(t.dir, 'x', 'cfg.db')
    using db = new Database()
    expect(db.path).toBe(join(t.dir, 'x', 'cfg.db'))
  })
})
