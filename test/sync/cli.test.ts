// `mldb sync` as a user meets it without a server: one line and exit 1, what is
// pending listed per experiment, and nothing in the local file changed.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, mldb } from '../cli/helpers.js'
import { freePort } from '../helpers/postgres.js'
import { freshRoot, machine } from './helpers.js'

const root = freshRoot()
beforeAll(() => {
  buildCli()
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('mldb sync without a reachable server', () => {
  it('says in one line what to give, lists what is pending, and gives up in one line when no write gets through', async () => {
    const url = `http://127.0.0.1:${await freePort()}`
    const m = machine(root, 'offline')
    expect(mldb(m.home, ['log', 'e1', 'acc', '0.5', '--step', '0', '--create']).status).toBe(0)
    expect(mldb(m.home, ['log', 'e1', 'acc', '0.6', '--step', '1']).status).toBe(0)

    const none = mldb(m.home, ['sync'])
    expect(none.status).toBe(1)
    expect(none.stderr).toBe('mldb: no server to send to: give --server URL, or set MLDB_SERVER (and MLDB_TOKEN)\n')

    // --server is also a global option
    const pending = mldb(m.home, ['--server', url, 'sync', '--pending'])
    expect(pending.status).toBe(0)
    expect(pending.stdout).toBe(`e1\t2 points\t1 write\n2 points and 1 other write not yet on ${url}/\n`)

    const down = mldb(m.home, ['sync', '--server', url, '--timeout', '1'])
    expect(down.status).toBe(1)
    const lines = down.stderr.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toBe(`mldb: cannot reach ${url}/ (ECONNREFUSED); logging goes on in the local file and the sender retries in the background`)
    expect(lines[1]).toBe(`mldb: 2 points and 1 other write are still not on ${url}/ (the server did not answer); run \`mldb sync\` again later`)

    const bad = mldb(m.home, ['sync', '--server', 'db:5757'])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/^mldb: the server "db:5757" must be an http:\/\/ or https:\/\/ URL\n$/)
  })
})
