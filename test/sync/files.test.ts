// File records travel with their bytes (below the size limit): a path on machine A
// means nothing on machine B, so the server keeps a copy and serves it.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildCli } from '../cli/helpers.js'
import { freshRoot, getJson, killAll, machine, startTeamServer, startWriter } from './helpers.js'

const root = freshRoot()
beforeAll(() => {
  buildCli()
})
afterEach(killAll)
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('files through the sender', () => {
  it('sends each file record once, with the bytes of files up to maxUploadBytes, and only the record of larger ones', async () => {
    const server = await startTeamServer(root)
    const m = machine(root, 'files')
    mkdirSync(join(m.home, 'out'), { recursive: true })
    const small = join(m.home, 'out', 'model.bin')
    const big = join(m.home, 'out', 'big.bin')
    writeFileSync(small, 'weights v1')
    writeFileSync(big, Buffer.alloc(4096, 7))
    const script = join(root, 'files-writer.mjs')
    writeFileSync(
      script,
      `import { Database } from ${JSON.stringify(join(dirname(dirname(buildCli())), 'index.js'))}
const db = new Database({ maxUploadBytes: 1024 })
db.setExpStatus('with-files', 'TRAINING')
db.addFile('with-files', ${JSON.stringify(small)}, { kind: 'model', step: 3 })
db.addFile('with-files', ${JSON.stringify(big)}, { kind: 'checkpoint' })
db.close()
`,
    )
    const w = startWriter(script, m, { MLDB_SERVER: server.url, MLDB_TOKEN: server.token, MLDB_SYNC_WAIT_MS: '30000' }, [])
    expect(await w.exited).toBe(0)
    expect(w.stderr()).toBe('')
    const e = await getJson(server, '/api/experiments/with-files')
    const files = e.json.files as { path: string; kind: string; step: number | null; stored: boolean; url: string | null }[]
    expect(files.map((f) => [f.path, f.kind, f.step, f.stored])).toEqual([
      [small, 'model', 3, true],
      [big, 'checkpoint', null, false],
    ])
    const res = await fetch(new URL(files[0]?.url as string, server.url), { headers: { authorization: `Bearer ${server.token}` } })
    expect(await res.text()).toBe('weights v1')
  })
})
