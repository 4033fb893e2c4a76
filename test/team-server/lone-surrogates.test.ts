// The server's write API refuses text holding a lone UTF-16 surrogate (a `\udc00` escape,
// which JSON.parse accepts) with a 400 naming the field, before anything is written; the
// check is in the write schemas, so one backend (SQLite) shows it.
import { describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS } from './backends.js'

const START = 'start-token-for-tests'
const sqlite = BACKENDS.find((b) => b.name === 'sqlite')

describe('lone surrogates over HTTP', () => {
  it('are a 400 naming the field, one per kind of text, and nothing is written', async () => {
    const fresh = await sqlite!.fresh()
    const app = createServerApp({ store: fresh.store, artifactsDir: tempDir().dir, maxArtifactBytes: 1024, startToken: START })
    let seq = 0
    // JSON.stringify writes a lone surrogate as the escape \udc00, as any client may send it
    const post = async (path: string, extra: Record<string, unknown>) => {
      const body = JSON.stringify({ client: 'c', seq: ++seq, ...extra })
      const res = await app.request(path, { method: 'POST', headers: { authorization: `Bearer ${START}`, 'content-type': 'application/json' }, body })
      return { status: res.status, body: (await res.json()) as { error?: { message: string } } }
    }
    expect((await post('/api/experiments', { name: 'e' })).status).toBe(201)
    const LONE = 'a\udc00'
    const refused: [string, Record<string, unknown>, string][] = [
      ['/api/experiments', { name: LONE }, 'name'],
      ['/api/experiments', { name: 'f', project: LONE }, 'project'],
      ['/api/experiments/e/params', { params: { lr: { deep: [LONE] } } }, 'params.lr.deep.0'],
      ['/api/experiments/e/params', { params: { [LONE]: 1 } }, `params.${LONE}`],
      ['/api/experiments/e/tags', { tags: { team: LONE } }, 'tags.team'],
      ['/api/experiments/e/notes', { notes: LONE }, 'notes'],
      ['/api/experiments/e/status', { status: LONE }, 'status'],
      ['/api/experiments/e/points', { points: [{ name: LONE, step: 0, value: 1 }] }, 'points.0.name'],
    ]
    for (const [path, body, field] of refused) {
      const r = await post(path, body)
      expect(r.status, `${path} ${field}`).toBe(400)
      expect(r.body.error?.message).toBe(`body field "${field}": contains a lone UTF-16 surrogate (U+DC00); send valid Unicode text`)
    }
    const e = (await (await app.request('/api/experiments/e', { headers: { authorization: `Bearer ${START}` } })).json()) as Record<string, unknown>
    expect(e).toMatchObject({ name: 'e', params: {}, tags: {}, notes: '', series: {} })
    expect((e.statusHistory as unknown[]).length).toBe(1)
    expect(await fresh.sql('SELECT name FROM experiments')).toEqual([{ name: 'e' }])
  })
})
