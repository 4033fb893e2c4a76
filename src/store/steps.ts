/**
 * The range of a point's step, and the cursor that stands before all of them
 * (docs/schema.md, "Steps"). A step is any safe integer: MLflow logs negative
 * steps (an evaluation at step -1 before training), and its stores must import.
 *
 * BEFORE_FIRST_STEP is below every valid step, so "past BEFORE_FIRST_STEP" means
 * "from the start" in every cursor (afterStep, a series' tail, sync frontiers).
 * -2^53 is exact in JS numbers, SQLite INTEGER and PostgreSQL bigint; the named
 * SQL in sql/ and the Python client write the same number.
 *
 * @example BEFORE_FIRST_STEP < MIN_STEP // true
 */
export const MIN_STEP = -Number.MAX_SAFE_INTEGER
export const MAX_STEP = Number.MAX_SAFE_INTEGER
export const BEFORE_FIRST_STEP = -(2 ** 53)

/** A cursor: a step, or BEFORE_FIRST_STEP (what an omitted afterStep means). */
export const isStepCursor = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= BEFORE_FIRST_STEP && v <= MAX_STEP
