// A NUL written before the rule that refuses it (an old local file, here written with raw
// SQL) reaches a team server on PostgreSQL, whose text cannot hold it. It used to be a 500
// there, which the sender retried forever, so nothing after it ever synced. Now it is a 400:
// the sender records that one write as refused, and the points logged after it get through.
import { rmSync } from 'node:fs'
import Sqlite from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildCli } from '../cli/helpers.js'
import { sharedCluster } from '../team-server/backends.js'
import { freshRoot, getJson, killAll, machine, onMachine, serverPoints, startTeamServer } from './helpers.js'

const root = freshRoot()
beforeAll(() => {
  buildCli()
})
afterEach(killAll)
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('an old local row holding U+0000, syncing to a team server on PostgreSQL', () => {
  it('is refused once and does not hold back the points logged after it', async () => {
    const server = await startTeamServer(root, sharedCluster().createDatabase(`nul_${process.pid}`))
    const m = machine(root, 'old')
    const sync = () => onMachine(m, ['sync', '--server', server.url, '--token', server.token, '--timeout', '20'])
    expect(onMachine(m, ['log', 'e1', 'acc', '0.5', '--step', '0', '--create']).status).toBe(0)
    expect(sync().status).toBe(0)

    // what a client wrote before NUL was refused
    const file = new Sqlite(m.db)
    file.prepare("UPDATE experiments SET notes = 'epoch' || char(0) || '3', updated_at = ? WHERE name = 'e1'").run(Date.now())
    file.close()
    const refused = sync()
    expect(refused.stderr).toMatch(/refused a write .*U\+0000 \(NUL\)/)

    expect(onMachine(m, ['log', 'e1', 'acc', '0.6', '--step', '1']).status).toBe(0)
    expect(onMachine(m, ['log', 'e1', 'acc', '0.7', '--step', '2']).status).toBe(0)
    const after = sync()
    expect(after.status, after.stderr).toBe(0)
    expect((await serverPoints(server, 'e1', 'acc')).map((p) => p.step)).toEqual([0, 1, 2])
    expect((await getJson(server, '/api/experiments/e1')).json.notes).toBe('')
  })
})
