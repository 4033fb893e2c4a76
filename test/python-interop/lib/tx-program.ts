import type { Database } from '../../../src/index.js'
import { type Op, random, replayTs } from './ops.js'

/**
 * A script of write calls in and out of transactions, as data, so that both clients
 * run the same one (interop.py `tx-programs` is the Python side):
 * - `call`: one write call on an experiment; `catch`: inside a transaction, the
 *   caller catches its error and goes on (outside one, every error is caught);
 * - `tx`: `db.transaction(...)` around more steps (nested ones are savepoints);
 *   `throws`: its body ends by throwing `boom`; `catch`: the enclosing body catches
 *   what escapes it.
 * Each call and transaction logs its outcome: `ok`, the error's class name, or `boom`.
 */
export type Step = { call: Op; exp: string; catch?: boolean } | { tx: Step[]; throws?: boolean; catch?: boolean }

class Boom extends Error {
  constructor() {
    super('boom')
  }
}

/** What a caught error is called in the outcome log: the same words in both clients. */
function outcome(e: unknown): string {
  if (e instanceof Boom) return 'boom'
  if (e instanceof Error) return e.constructor.name
  throw e
}

/** Runs a program through the TypeScript API; the outcome of each call and transaction, in order. */
export function runTsProgram(db: Database, steps: Step[]): string[] {
  const log: string[] = []
  const run = (list: Step[], inside: boolean): void => {
    for (const s of list) {
      const at = log.length
      log.push('?')
      try {
        if ('call' in s) replayTs(db, s.exp, [s.call])
        else
          db.transaction(() => {
            run(s.tx, true)
            if (s.throws) throw new Boom()
          })
        log[at] = 'ok'
      } catch (e) {
        log[at] = outcome(e)
        if (inside && !s.catch) throw e
      }
    }
  }
  run(steps, false)
  return log
}

// Values whose stored text both clients must write alike: JSON numbers in every range, text with
// characters JSON escapes or not, objects with keys that JavaScript orders integer-first.
const PARAM_VALUES: unknown[] = [
  0.1,
  0.2,
  'adam',
  [64, 64],
  null,
  true,
  1e21,
  1e-7,
  5e-324,
  1 / 3,
  2 ** 53 + 2,
  -1.5e300,
  123456789012345680000,
  '\u2028😀\u0001"\\',
  'é\t',
  { b: 1, '2': [{}, []], a: { ü: null } },
]
const TAG_VALUES = ['vision', 'x', 1, true, false, 1e21, 1e-7, 0.1 + 0.2, 100, -2.5, 'ü\n😀']

/** A random program: calls that succeed, calls the contract refuses, transactions nested up to three deep. */
export function randomProgram(seed: number, n: number, files: readonly string[] = []): Step[] {
  const rnd = random(seed)
  const int = (k: number) => Math.floor(rnd() * k)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T
  const value = () => (rnd() < 0.05 ? Number.NaN : rnd() < 0.03 ? Number.POSITIVE_INFINITY : Math.round(rnd() * 1000) / 100)
  let step = 0
  const call = (): Op => {
    switch (int(files.length > 0 ? 10 : 9)) {
      case 9:
        // a file record: a file both clients can see (or one that is not there), hashed or not
        return {
          op: 'file',
          path: pick(files),
          kind: pick(['model', 'checkpoint', 'other'] as const),
          ...(rnd() < 0.5 ? { step: int(10) } : {}),
          hash: rnd() < 0.5,
          ...(rnd() < 0.3 ? { meta: { format: pick(['pt', 'ü', '']) } } : {}),
        }
      case 0:
        // LOST cannot be written; lower case is stored upper-case; another project for an existing experiment
        return {
          op: 'status',
          status: pick(['TRAINING', 'COMPLETE', 'failed', 'LOST', 'custom', 'VALIDATING']),
          ...(rnd() < 0.2 ? { project: pick(['p1', 'p2']) } : {}),
        }
      case 1:
      case 2:
        return {
          op: 'metric',
          name: pick(['acc', 'f1', 'train/acc', '']),
          split: pick(['', 'valid', 'a/b']),
          step: rnd() < 0.2 ? int(step + 1) : step++,
          value: value(),
        }
      case 3:
        return { op: 'loss', split: pick(['train', 'valid']), step: rnd() < 0.2 ? int(step + 1) : step++, value: value() }
      case 4: {
        const size = 1 + int(80)
        const from = rnd() < 0.2 ? int(step + 1) : step
        step = Math.max(step, from + size)
        return { op: 'batch', points: Array.from({ length: size }, (_, k) => ({ name: pick(['acc', 'loss']), split: 'x', step: from + k, value: value() })) }
      }
      case 5:
      case 6:
        // a param is written once: the same value again is fine, another is refused
        return {
          op: 'params',
          params: Object.fromEntries(Array.from({ length: 1 + int(3) }, () => [pick(['lr', 'opt', 'layers', 'n']), pick(PARAM_VALUES)])),
        }
      case 7:
        return { op: 'tags', tags: { [pick(['team', 'flag'])]: pick(TAG_VALUES) } }
      default:
        return { op: 'notes', notes: pick(['', 'n', 'two\nlines']) }
    }
  }
  const steps = (k: number, depth: number): Step[] =>
    Array.from({ length: k }, (): Step => {
      if (depth < 3 && rnd() < (depth === 0 ? 0.35 : 0.2)) return { tx: steps(1 + int(5), depth + 1), throws: rnd() < 0.2, catch: rnd() < 0.6 }
      return { call: call(), exp: pick(['a', 'b', 'c', 'b']), catch: rnd() < 0.7 }
    })
  return steps(n, 0)
}

/** The steps in the order their outcomes are logged (a transaction before its body), for failure messages. */
export function flatSteps(steps: Step[]): Step[] {
  return steps.flatMap((s) => ('call' in s ? [s] : [{ ...s, tx: [] }, ...flatSteps(s.tx)]))
}
