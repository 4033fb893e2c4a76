import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, Database, ValidationError } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

const synchronous = (db: Database) => db.sqlite.pragma('synchronous', { simple: true })

describe("durability: 'process' (kill -9) or 'power' (a power cut too)", () => {
  let t: ReturnType<typeof tempDir>
  let home: string | undefined
  beforeEach(() => {
    t = tempDir()
    home = process.env.HOME
    process.env.HOME = t.dir
  })
  afterEach(() => {
    process.env.HOME = home
    t.cleanup()
  })

  it("defaults to 'process' (synchronous=NORMAL); 'power' commits with synchronous=FULL", () => {
    using plain = new Database({ path: join(t.dir, 'a.db') })
    expect(plain.durability).toBe('process')
    expect(synchronous(plain)).toBe(1)
    using power = new Database({ path: join(t.dir, 'a.db'), durability: 'power' })
    expect(power.durability).toBe('power')
    expect(synchronous(power)).toBe(2)
    // Logging works the same way, one page per call included.
    for (let s = 0; s < 100; s++) power.addMetricValue('e', 'loss', s, 1 / (s + 1))
    expect(plain.getSeries('e')[0]).toMatchObject({ count: 100, lastStep: 99 })
  })

  it('reads "durability" from the config file; the option wins', () => {
    writeFileSync(join(t.dir, '.mldb_config.json'), JSON.stringify({ db_path: join(t.dir, 'c.db'), durability: 'power' }))
    using fromFile = new Database()
    expect(fromFile.durability).toBe('power')
    expect(synchronous(fromFile)).toBe(2)
    using option = new Database({ durability: 'process' })
    expect(synchronous(option)).toBe(1)
  })

  it('refuses anything else, naming the setting and the two choices', () => {
    expect(() => new Database({ path: join(t.dir, 'a.db'), durability: 'disk' as never })).toThrow(ValidationError)
    expect(() => new Database({ path: join(t.dir, 'a.db'), durability: 'disk' as never })).toThrow(/durability must be "process".*or "power"/)
    writeFileSync(join(t.dir, '.mldb_config.json'), JSON.stringify({ durability: 'fsync' }))
    expect(() => new Database({ path: join(t.dir, 'b.db') })).toThrow(ConfigError)
    expect(() => new Database({ path: join(t.dir, 'b.db') })).toThrow(/"durability" in .* must be "process"/)
  })
})
