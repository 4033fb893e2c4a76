/** Standard test functions for samplers (the bench and the tests use them). */

/** Branin on x in [-5, 10], y in [0, 15]; minimum 0.397887. */
export function branin(x: number, y: number): number {
  const b = 5.1 / (4 * Math.PI ** 2)
  const c = 5 / Math.PI
  const t = 1 / (8 * Math.PI)
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10
}

const HA = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
]
const HC = [1.0, 1.2, 3.0, 3.2]
const HP = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]

/** Hartmann-6 on [0, 1]^6; minimum -3.32237. */
export function hartmann6(x: readonly number[]): number {
  let s = 0
  for (let i = 0; i < 4; i++) {
    let inner = 0
    for (let j = 0; j < 6; j++) inner += HA[i]![j]! * (x[j]! - HP[i]![j]!) ** 2
    s += HC[i]! * Math.exp(-inner)
  }
  return -s
}

/** Rosenbrock in any dimension; minimum 0 at (1, ..., 1). */
export function rosenbrock(x: readonly number[]): number {
  let s = 0
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2
  return s
}
