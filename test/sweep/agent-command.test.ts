import { describe, expect, it } from 'vitest'
import { trialArgv } from '../../src/sweep/agent-command.js'
import { parseSweepConfig } from '../../src/sweep/config.js'

const macro = (name: string) => `$${'{'}${name}}`
const base = { name: 's', metric: { name: 'loss' }, parameters: { x: { value: 1 } } }

describe('the command an agent runs per trial', () => {
  it("appends --key=value (nested dotted), or puts them where W&B's args macro stands", () => {
    const params = { lr: 0.01, opt: { name: 'adam' }, layers: [1, 2] }
    const prog = parseSweepConfig({ ...base, program: 'train.py' })
    expect(trialArgv(prog, params, [])).toEqual(['python3', 'train.py', '--lr=0.01', '--opt.name=adam', '--layers=[1,2]'])
    const cmd = parseSweepConfig({
      ...base,
      program: 'train.py',
      command: [macro('env'), macro('interpreter'), macro('program'), '--fast', macro('args'), '--end'],
    })
    expect(trialArgv(cmd, { lr: 0.5 }, [])).toEqual(['python3', 'train.py', '--fast', '--lr=0.5', '--end'])
    const bare = parseSweepConfig({ ...base, command: ['./run.sh', macro('args_no_hyphens')] })
    expect(trialArgv(bare, { lr: 0.5 }, [])).toEqual(['./run.sh', 'lr=0.5'])
    expect(trialArgv(prog, { lr: 0.5 }, ['node', 'x.js'])).toEqual(['node', 'x.js', '--lr=0.5'])
    expect(trialArgv(parseSweepConfig(base), {}, [])).toBeUndefined()
  })
})
