import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { type Child, childScript, killAll, startChild } from './lib/child.js'

const dir = mkdtempSync(join(tmpdir(), 'mldb-exit-'))
const path = join(dir, 'exits.db')
const children: Child[] = []
afterAll(() => {
  killAll(children)
  rmSync(dir, { recursive: true, force: true })
})

function start(name: string, mode: string): Child {
  const child = startChild(childScript('run-exit.ts'), [path, name, mode])
  children.push(child)
  return child
}

/** Status and notes of a run as a reader sees them after its process is gone. */
function outcome(name: string): { status: string; notes: string; loss: number } {
  using db = new Database({ path })
  return { status: db.getExpStatus(name), notes: db.getNotes(name), loss: db.getLossValues(name, 'train').length }
}

describe('how a Run ends when its process ends', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('a run whose process gets %s ends KILLED', async (signal, code) => {
    const name = `signal-${signal}`
    const child = start(name, 'wait')
    await child.waitFor((l) => l.includes('ready'))
    child.proc.kill(signal)
    expect(await child.exited).toEqual({ code, signal: null })
    const o = outcome(name)
    expect(o.status).toBe('KILLED')
    expect(o.notes).toContain(signal)
    expect(o.loss).toBeGreaterThanOrEqual(5)
  })

  it('a run whose process throws an uncaught exception ends FAILED, with the error kept', async () => {
    const child = start('throws', 'throw')
    expect(await child.exited).toEqual({ code: 1, signal: null })
    expect(child.stderr()).toContain('boom from the training loop')
    expect(outcome('throws')).toMatchObject({ status: 'FAILED', loss: 5 })
    expect(outcome('throws').notes).toContain('boom from the training loop')
  })

  it('a run whose process leaves a rejection unhandled ends FAILED', async () => {
    const child = start('rejects', 'reject')
    expect((await child.exited).code).not.toBe(0)
    expect(outcome('rejects')).toMatchObject({ status: 'FAILED', loss: 5 })
  })

  it('a run whose process ends normally without finish() ends COMPLETE', async () => {
    const child = start('returns', 'return')
    expect(await child.exited).toEqual({ code: 0, signal: null })
    expect(child.stderr()).toBe('')
    expect(outcome('returns')).toEqual({ status: 'COMPLETE', notes: '', loss: 5 })
  })

  it('a run whose heartbeat stopped reads LOST, in getExpStatus and in listings', async () => {
    const child = start('vanished', 'wait')
    await child.waitFor((l) => l.includes('ready'))
    // SIGKILL runs no handler: the run stays TRAINING and its heartbeat just stops.
    child.proc.kill('SIGKILL')
    await child.exited
    using db = new Database({ path })
    expect(db.getExpStatus('vanished')).toBe('TRAINING')
    // Test setup: pretend the last beat was ten minutes ago instead of waiting a minute.
    const old = Date.now() - 10 * 60_000
    db.sqlite.prepare('UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?').run(old, old, 'vanished')
    expect(db.getExpStatus('vanished')).toBe('LOST')
    expect(db.listExperiments({ name: 'vanished' }).map((e) => [e.status, e.storedStatus])).toEqual([['LOST', 'TRAINING']])
    expect(db.listExperiments({ status: 'LOST' }).map((e) => e.name)).toEqual(['vanished'])

    // A finished run with an equally old heartbeat keeps its final status.
    db.sqlite.prepare('UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?').run(old, old, 'returns')
    expect(db.getExpStatus('returns')).toBe('COMPLETE')
  })
})
