// An experiment that never synced, holding a U+0000 written before the rule that refuses
// it (here with raw SQL), is created on the team server with what the server can hold:
// its first write carries its params and tags, and refusing that write whole left the
// experiment, and every point logged to it, off the server for good.
import { rmSync } from 'node:fs'
import Sqlite from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildCli } from '../cli/helpers.js'
import { freshRoot, getJson, killAll, machine, onMachine, serverPoints, startTeamServer } from './helpers.js'

const root = freshRoot()
beforeAll(() => {
  buildCli()
})
afterEach(killAll)
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('an old experiment holding U+0000 in a tag, synced for the first time', () => {
  it('reaches the server with its points and its other tags, the tag refused once', async () => {
    const server = await startTeamServer(root)
    const m = machine(root, 'old')
    expect(onMachine(m, ['log', 'e1', 'acc', '0.5', '--step', '0', '--create']).status).toBe(0)
    expect(onMachine(m, ['tag', 'e1', 'team=vision', 'lab=north']).status).toBe(0)
    const file = new Sqlite(m.db)
    file.prepare("UPDATE tags SET value = 'a' || char(0) || 'b' WHERE key = 'team'").run()
    file.close()
    const r = onMachine(m, ['sync', '--server', server.url, '--token', server.token, '--timeout', '20'])
    expect(r.stderr).toMatch(/refused a write \(\/api\/experiments\/e1\/tags: 400 .*U\+0000 \(NUL\)/)
    expect(r.stderr).not.toMatch(/no experiment named/)
    expect((await serverPoints(server, 'e1', 'acc')).map((p) => p.step)).toEqual([0])
    const tags = (await getJson(server, '/api/experiments/e1')).json.tags as Record<string, string>
    expect(tags.lab).toBe('north')
    expect(tags.team).toBeUndefined()
  })
})
