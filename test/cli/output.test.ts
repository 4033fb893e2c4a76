// Issue 8 items 1, 12 and 17: output reaches slow readers in full, global options
// go before or after the command, and the rough edges a new user hit.
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

const t = tempHome()
afterAll(() => t.cleanup())
/** A database with one experiment of 30,000 points: its export is far over a pipe's 64 KiB. */
const big = join(t.home, 'big.db')
/** 2,000 experiments of one point each: their listing is far over 64 KiB too. */
const many = join(t.home, 'many.db')
/** Three small experiments with varied params and two series. */
const small = join(t.home, 'small.db')

beforeAll(() => {
  buildCli()
  const points = Array.from({ length: 30_000 }, (_, i) =>
    JSON.stringify({ record: 'point', experiment: 'big', series: 'loss', split: 'train', step: i, time: 1000 + i, value: i / 7 }),
  )
  writeFileSync(join(t.home, 'big.jsonl'), `${points.join('\n')}\n`)
  ok(t.home, ['import', join(t.home, 'big.jsonl'), '--db', big])
  const runs = Array.from({ length: 2000 }, (_, i) =>
    JSON.stringify({ record: 'point', experiment: `run-${i}`, series: 'loss', step: 0, time: 1000, value: i }),
  )
  writeFileSync(join(t.home, 'many.jsonl'), `${runs.join('\n')}\n`)
  ok(t.home, ['import', join(t.home, 'many.jsonl'), '--db', many])
  for (const [i, lr] of ['0.1', '0.01', '0.001'].entries()) {
    const e = `run-${i}`
    ok(t.home, ['status', e, 'COMPLETE', '--db', small])
    ok(t.home, ['param', e, `learning_rate=${lr}`, `momentum_term=0.9${i}`, `weight_decay=1e-${i + 3}`, `optimizer=adam${i}`, '--db', small])
    ok(t.home, ['log', e, 'loss', String(1 - i / 10), '--step', '0', '--split', 'valid', '--db', small])
    ok(t.home, ['log', e, 'acc', String(0.5 + i / 10), '--step', '0', '--split', 'valid', '--db', small])
  }
})

/** Runs `mldb args... <tail>` in bash (`tail` such as `| head -1`); returns its status, stdout and stderr. */
function pipeline(args: string[], tail: string) {
  const r = spawnSync('bash', ['-c', `set -o pipefail; "$NODE" "$MAIN" "$@" ${tail}`, 'bash', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: t.home, NODE: process.execPath, MAIN: buildCli() },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 120_000,
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A reader that sleeps while the pipe fills up. */
const SLOW = '| (sleep 1; cat)'

describe('large output to a pipe (issue 8 item 1)', () => {
  for (const format of ['jsonl', 'csv']) {
    it(`mldb export --format ${format} reaches a slow reader in full`, () => {
      const file = join(t.home, `all.${format}`)
      ok(t.home, ['export', '--format', format, '--out', file, '--db', big])
      const size = statSync(file).size
      expect(size).toBeGreaterThan(10 * 65_536)
      // the reader sleeps while the pipe fills up: before the fix 65,536 bytes arrived, exit 0 (or EAGAIN)
      const r = pipeline(['export', '--format', format, '--db', big], SLOW)
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      expect(Buffer.byteLength(r.stdout)).toBe(size)
      expect(r.stdout).toBe(readFileSync(file, 'utf8'))
    })
  }

  it('mldb ls --json and mldb sql reach a slow reader in full', () => {
    const direct = pipeline(['ls', '--json', '--limit', '0', '--db', many], '').stdout
    expect(direct.length).toBeGreaterThan(5 * 65_536)
    const r = pipeline(['ls', '--json', '--limit', '0', '--db', many], SLOW)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(direct)
    for (const json of [[], ['--json']]) {
      const sql = 'SELECT EPOCH, VALUE FROM LOSS ORDER BY EPOCH'
      const direct = pipeline(['sql', sql, ...json, '--db', big], '').stdout
      expect(direct.length).toBeGreaterThan(5 * 65_536)
      const r = pipeline(['sql', sql, ...json, '--db', big], SLOW)
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      expect(r.stdout).toBe(direct)
    }
  })

  it('stops quietly with status 0 when the reader goes away (`| head -c 1000`)', () => {
    for (const args of [
      ['export'],
      ['ls', '--json', '--limit', '0'],
      ['sql', 'SELECT EPOCH, VALUE FROM LOSS'],
      ['sql', '--json', 'SELECT EPOCH, VALUE FROM LOSS'],
    ]) {
      const r = pipeline([...args, '--db', args[0] === 'ls' ? many : big], '| head -c 1000')
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      expect(r.stdout).toHaveLength(1000)
    }
  })

  it('fails loudly when stdout cannot be written (a full disk)', () => {
    const r = pipeline(['export', '--db', big], '> /dev/full')
    expect(r.status).toBe(1)
    expect(r.stderr).toBe('mldb: cannot write to standard output: the disk is full\n')
    // commander's own output (--help) too: one line, no stack
    const help = pipeline(['--help'], '> /dev/full')
    expect(help.status).toBe(1)
    expect(help.stderr).toMatch(/^mldb: cannot write to standard output: ENOSPC[^\n]*\n$/)
  })
})

describe('global options before or after the command (issue 8 item 12)', () => {
  const names = (stdout: string) => (JSON.parse(stdout) as { name: string }[]).map((e) => e.name).sort()

  it('takes --db and --json on either side', () => {
    const want = ['run-0', 'run-1', 'run-2']
    expect(names(ok(t.home, ['--db', small, 'ls', '--json']))).toEqual(want)
    expect(names(ok(t.home, ['ls', '--db', small, '--json']))).toEqual(want)
    expect(names(ok(t.home, ['--json', '--db', small, 'ls']))).toEqual(want)
    expect(names(ok(t.home, ['--db', small, 'ls', '--limit', '5', '--json']))).toEqual(want)
    expect(ok(t.home, ['--db', small, 'ls', '--columns', 'name']).split('\n')[0]).toBe('name')
    // the later one wins, as for any repeated option
    expect(names(ok(t.home, ['--db', big, 'ls', '--db', small, '--json']))).toEqual(want)
    expect(JSON.parse(ok(t.home, ['--db', small, 'config', '--json'])).path).toBe(resolve(small))
    // a command under a command (mldb model ls) takes them too
    expect(JSON.parse(ok(t.home, ['--db', small, 'model', 'ls', '--json']))).toEqual([])
  })

  it('writes through --db given first', () => {
    const file = join(t.home, 'global-write.db')
    ok(t.home, ['--db', file, 'status', 'g', 'TRAINING'])
    expect(ok(t.home, ['--db', file, 'sql', 'SELECT EXP_ID FROM STATUS']).trim()).toBe('EXP_ID\ng')
  })

  it('refuses --json for a command that prints nothing', () => {
    const r = mldb(t.home, ['--json', 'status', 'g', 'COMPLETE', '--db', join(t.home, 'global-write.db')])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('mldb: `mldb status` does not take --json\n')
    const nested = mldb(t.home, ['--json', 'model', 'alias', 'm', 'champion', '1', '--db', small])
    expect(nested.status).toBe(2)
    expect(nested.stderr).toBe('mldb: `mldb model alias` does not take --json\n')
  })

  it('lists them in the help', () => {
    expect(ok(t.home, ['--help'])).toMatch(/--db <path>[\s\S]*--json/)
  })
})

describe("the seed's double-quoted strings in mldb sql (issue 8 item 14)", () => {
  it('runs SELECT EXP_ID FROM STATUS WHERE STATUS.STATUS="COMPLETE"', () => {
    expect(ok(t.home, ['sql', 'SELECT EXP_ID FROM STATUS WHERE STATUS.STATUS="COMPLETE" ORDER BY EXP_ID', '--db', small])).toBe('EXP_ID\nrun-0\nrun-1\nrun-2\n')
    // "STATUS" that names a column stays the column
    expect(JSON.parse(ok(t.home, ['sql', 'SELECT "STATUS" FROM STATUS WHERE EXP_ID = "run-0"', '--json', '--db', small]))).toEqual([{ STATUS: 'COMPLETE' }])
    const r = mldb(t.home, ['sql', 'SELECT STATUS."COMPLETE" FROM STATUS', '--db', small])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe('mldb: SQL error: no such column: STATUS.COMPLETE\n')
  })
})

describe('rough edges (issue 8 item 17)', () => {
  it('ls --sort takes min(series), max(series) and count(series) without metrics.', () => {
    const order = (sort: string) => ok(t.home, ['ls', '--sort', sort, '--columns', 'name', '--db', small]).trim().split('\n').slice(1)
    expect(order('min(valid/loss)')).toEqual(['run-2', 'run-1', 'run-0'])
    expect(order('min(valid/loss) desc')).toEqual(['run-0', 'run-1', 'run-2'])
    expect(order('max( valid/acc ) desc')).toEqual(['run-2', 'run-1', 'run-0'])
    expect(order('min(metrics.valid/loss)')).toEqual(['run-2', 'run-1', 'run-0'])
    expect(order('count(valid/loss)')).toHaveLength(3)
    // a series name with a space or a dash inside the parentheses, as `--sort 'top-1 acc'` takes it
    const spaced = join(t.home, 'spaced-sort.db')
    ok(t.home, ['log', 'low', 'top-1 acc', '0.5', '--step', '0', '--create', '--db', spaced])
    ok(t.home, ['log', 'high', 'top-1 acc', '0.7', '--step', '0', '--create', '--db', spaced])
    expect(ok(t.home, ['ls', '--sort', 'max(top-1 acc) desc', '--columns', 'name', '--db', spaced])).toBe('name\nhigh\nlow\n')
  })

  it('log refuses an experiment that does not exist unless --create', () => {
    const file = join(t.home, 'log-create.db')
    ok(t.home, ['status', 'real', 'TRAINING', '--db', file])
    ok(t.home, ['log', 'real', 'loss', '0.5', '--step', '0', '--db', file])
    const r = mldb(t.home, ['log', 'reall', 'loss', '0.5', '--step', '1', '--db', file])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(`mldb: no experiment named "reall" in ${file}; check the name with \`mldb ls\`, or add --create to start a new one\n`)
    expect(ok(t.home, ['sql', 'SELECT EXP_ID FROM STATUS', '--db', file]).trim()).toBe('EXP_ID\nreal')
    ok(t.home, ['log', 'new-run', 'loss', '-inf', '--step', '0', '--create', '--db', file])
    expect(JSON.parse(ok(t.home, ['sql', 'SELECT EXP_ID, STATUS FROM STATUS ORDER BY EXP_ID', '--json', '--db', file]))).toEqual([
      { EXP_ID: 'new-run', STATUS: 'TRAINING' },
      { EXP_ID: 'real', STATUS: 'TRAINING' },
    ])
  })

  it('export --out says what it wrote in one line on stderr, nothing on stdout', () => {
    const file = join(t.home, 'small.csv')
    const r = mldb(t.home, ['export', '--out', file, '--db', small])
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`exported 3 experiments and 6 points to ${file}\n`)
    // to stdout: the data only, no note and (stderr not being a terminal) no bar
    const piped = mldb(t.home, ['export', '--format', 'csv', '--db', small])
    expect(piped.stderr).toBe('')
    expect(piped.stdout).toBe(readFileSync(file, 'utf8'))
  })
})

/**
 * Runs mldb in a pseudo-terminal `cols` wide (Python's pty module, so no
 * extra dependency); returns what the terminal showed, without carriage returns.
 */
function inTerminal(cols: number, args: string[], redirect = ''): string {
  const script = `
import fcntl, os, pty, struct, sys, termios
cols, argv = int(sys.argv[1]), sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 24, cols, 0, 0))
    os.execvp('bash', ['bash', '-c', ' '.join("'" + a.replace("'", "'\\\\''") + "'" for a in argv) + ${JSON.stringify(redirect)}])
out = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
`
  const r = spawnSync('python3', ['-c', script, String(cols), process.execPath, buildCli(), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: t.home, NO_COLOR: '1', TERM: 'dumb' },
    encoding: 'utf8',
    timeout: 120_000,
  })
  if (r.status !== 0) throw new Error(`pty run failed: ${r.stderr}`)
  return r.stdout.replaceAll('\r', '')
}

describe('in a terminal', () => {
  it('ls in a narrow terminal drops param columns before series columns', () => {
    const wide = inTerminal(200, ['ls', '--db', small])
    const header = (text: string) => (text.split('\n')[0] ?? '').trim().split(/\s+/)
    expect(header(wide)).toEqual([
      'name',
      'project',
      'status',
      'started',
      'duration',
      'learning_rate',
      'momentum_term',
      'optimizer',
      'weight_decay',
      'valid/acc',
      'valid/loss',
    ])
    const narrow = inTerminal(100, ['ls', '--db', small])
    const cut = header(narrow)
    expect(cut).toContain('valid/acc')
    expect(cut).toContain('valid/loss')
    expect(cut).not.toContain('weight_decay')
    expect(narrow).toMatch(/\(\d more columns? do not fit the terminal/)
    for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(100)
  })

  it('export to a pipe or a file keeps the terminal bar out of the data', () => {
    const file = join(t.home, 'tty.jsonl')
    const shown = inTerminal(100, ['export', '--out', file, '--db', big])
    // the bar is drawn on the terminal and cleared; the note stays
    expect(shown.endsWith(`exported 1 experiment and 30000 points to ${file}\n`)).toBe(true)
    expect(readFileSync(file, 'utf8')).not.toContain('\u001b')
    const piped = join(t.home, 'tty-piped.jsonl')
    inTerminal(100, ['export', '--db', big], ` | cat > '${piped}'`)
    expect(readFileSync(piped, 'utf8')).toBe(readFileSync(file, 'utf8'))
  })
})
