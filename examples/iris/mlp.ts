import { rng } from './data.js'

/** A one-hidden-layer perceptron (tanh, softmax) trained with mini-batch SGD. */
export class Mlp {
  w1: number[][]
  b1: number[]
  w2: number[][]
  b2: number[]

  constructor(
    readonly inputs: number,
    readonly hidden: number,
    readonly classes: number,
    seed: number,
  ) {
    const rand = rng(seed)
    const init = (rows: number, cols: number, fanIn: number) =>
      Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rand() * 2 - 1) * Math.sqrt(6 / (fanIn + cols))))
    this.w1 = init(inputs, hidden, inputs)
    this.b1 = new Array(hidden).fill(0)
    this.w2 = init(hidden, classes, hidden)
    this.b2 = new Array(classes).fill(0)
  }

  private forward(x: number[]): { h: number[]; p: number[] } {
    const h = this.b1.map((b, j) => Math.tanh(x.reduce((s, xi, i) => s + xi * (this.w1[i]?.[j] ?? 0), b)))
    const z = this.b2.map((b, k) => h.reduce((s, hj, j) => s + hj * (this.w2[j]?.[k] ?? 0), b))
    const m = Math.max(...z)
    const e = z.map((v) => Math.exp(v - m))
    const sum = e.reduce((a, b) => a + b, 0)
    return { h, p: e.map((v) => v / sum) }
  }

  /** Mean cross-entropy and accuracy over a set. */
  evaluate(X: number[][], Y: number[]): { loss: number; acc: number } {
    let loss = 0
    let correct = 0
    X.forEach((x, n) => {
      const { p } = this.forward(x)
      const y = Y[n] as number
      loss -= Math.log(Math.max(p[y] ?? 0, 1e-12))
      if (p.indexOf(Math.max(...p)) === y) correct++
    })
    return { loss: loss / X.length, acc: correct / X.length }
  }

  /** One epoch of SGD over shuffled mini-batches. */
  trainEpoch(X: number[][], Y: number[], lr: number, batch: number, rand: () => number): void {
    const order = X.map((_, i) => i).sort(() => rand() - 0.5)
    for (let start = 0; start < order.length; start += batch) {
      const idx = order.slice(start, start + batch)
      const gW1 = this.w1.map((r) => r.map(() => 0))
      const gB1 = this.b1.map(() => 0)
      const gW2 = this.w2.map((r) => r.map(() => 0))
      const gB2 = this.b2.map(() => 0)
      for (const n of idx) {
        const x = X[n] as number[]
        const { h, p } = this.forward(x)
        const dz = p.map((pk, k) => pk - (k === Y[n] ? 1 : 0))
        dz.forEach((d, k) => {
          gB2[k] = (gB2[k] ?? 0) + d
          h.forEach((hj, j) => {
            ;(gW2[j] as number[])[k] = ((gW2[j] as number[])[k] ?? 0) + hj * d
          })
        })
        const dh = h.map((hj, j) => (1 - hj * hj) * dz.reduce((s, d, k) => s + d * (this.w2[j]?.[k] ?? 0), 0))
        dh.forEach((d, j) => {
          gB1[j] = (gB1[j] ?? 0) + d
          x.forEach((xi, i) => {
            ;(gW1[i] as number[])[j] = ((gW1[i] as number[])[j] ?? 0) + xi * d
          })
        })
      }
      const s = lr / idx.length
      this.w1 = this.w1.map((r, i) => r.map((w, j) => w - s * (gW1[i]?.[j] ?? 0)))
      this.b1 = this.b1.map((b, j) => b - s * (gB1[j] ?? 0))
      this.w2 = this.w2.map((r, j) => r.map((w, k) => w - s * (gW2[j]?.[k] ?? 0)))
      this.b2 = this.b2.map((b, k) => b - s * (gB2[k] ?? 0))
    }
  }

  toJSON(): object {
    return { inputs: this.inputs, hidden: this.hidden, classes: this.classes, w1: this.w1, b1: this.b1, w2: this.w2, b2: this.b2 }
  }
}
