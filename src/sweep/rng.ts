/**
 * A small seeded generator (SplitMix64 seeding xoshiro128**), so a sweep's
 * samples are reproducible from its seed and the trial number alone: every
 * worker that claims trial n draws the same numbers for it.
 *
 * @example const rng = new Rng(seedFor(1, 7)); rng.uniform()
 */
export class Rng {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  constructor(seed: number) {
    let x = seed >>> 0 || 0x9e3779b9
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.s0 = next()
    this.s1 = next()
    this.s2 = next()
    this.s3 = next()
  }

  /** A 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0
    const t = (this.s1 << 9) >>> 0
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5
    const lo = this.nextU32() >>> 6
    return (hi * 67108864 + lo) / 9007199254740992
  }

  /** A standard normal draw (Box-Muller). */
  normal(): number {
    let u = this.uniform()
    while (u === 0) u = this.uniform()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform())
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n)
  }

  /** An index drawn with the given (unnormalised, non-negative) weights. */
  weighted(weights: readonly number[]): number {
    let total = 0
    for (const w of weights) total += w
    let u = this.uniform() * total
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] as number
      if (u < 0) return i
    }
    return weights.length - 1
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}

/** The seed of one trial's draws: a hash of the sweep's seed and the trial number. */
export function seedFor(sweepSeed: number, trialNumber: number): number {
  let h = Math.imul((sweepSeed >>> 0) ^ 0x27d4eb2d, 0x165667b1) >>> 0
  h = Math.imul(h ^ (trialNumber >>> 0) ^ (h >>> 15), 0x85ebca77) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae3d) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}
