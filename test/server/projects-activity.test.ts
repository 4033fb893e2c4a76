// The table's picker opens on the project with the latest activity (issue 16).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setupApp } from './helpers.js'

let t: ReturnType<typeof setupApp>
beforeEach(() => {
  t = setupApp()
})
afterEach(() => t.close())

type Projects = { projects: { name: string; count: number; latestAt?: number }[] }

describe('GET /api/projects?by=activity', () => {
  it('lists the most recently active project first, with when; by name without it', async () => {
    t.db.setExpStatus('old', 'COMPLETE', { project: 'alpha' })
    t.db.setExpStatus('b1', 'RUNNING', { project: 'beta' })
    t.db.setExpStatus('b2', 'COMPLETE', { project: 'beta' })
    await new Promise((r) => setTimeout(r, 5))
    t.db.setExpStatus('new', 'RUNNING', { project: 'alpha' })
    const r = await t.json<Projects>('/api/projects?by=activity')
    expect(r.body.projects.map((p) => [p.name, p.count])).toEqual([
      ['alpha', 2],
      ['beta', 2],
    ])
    expect(r.body.projects[0]?.latestAt).toBeGreaterThan(r.body.projects[1]?.latestAt ?? Number.POSITIVE_INFINITY)
    // a run logging into beta now makes it the latest
    await new Promise((r) => setTimeout(r, 5))
    t.db.setExpStatus('b1', 'COMPLETE')
    expect((await t.json<Projects>('/api/projects?by=activity')).body.projects[0]?.name).toBe('beta')
    expect((await t.json<Projects>('/api/projects')).body.projects).toEqual([
      { name: 'alpha', count: 2 },
      { name: 'beta', count: 2 },
    ])
  })

  it('refuses an unknown order with a 400 naming it', async () => {
    const r = await t.json('/api/projects?by=size')
    expect(r.status).toBe(400)
    expect(r.body.error.message).toMatch(/by/)
  })
})
