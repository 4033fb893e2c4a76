/**
 * The filter's syntax tree: small, plain data, the same in every client and
 * checked against test/golden/filters.json by both test suites. Serialise it
 * with `astToJson` (±Infinity become the strings "Infinity" / "-Infinity").
 */

/** The attributes every experiment has, addressed by bare name: `status`, `created`. */
export type AttributeName = 'name' | 'project' | 'status' | 'host' | 'notes' | 'created' | 'started' | 'ended' | 'updated' | 'duration'

/** Which summary of a series: its latest value (`metrics.x`), `min(...)`, `max(...)`, `count(...)`. */
export type Aggregate = 'last' | 'min' | 'max' | 'count'

/** What a comparison looks at. `bare` is a short form (`lr`, `valid/loss`) not yet resolved against the file. */
export type Field =
  | { kind: 'param'; key: string }
  | { kind: 'tag'; key: string }
  | { kind: 'metric'; split: string; name: string; agg: Aggregate }
  | { kind: 'attr'; name: AttributeName }
  | { kind: 'bare'; key: string; agg?: Aggregate }

/** The type of the values of a comparison: the field is compared with numbers, text or booleans. */
export type ValueKind = 'number' | 'text' | 'bool'

/** A comparison operator; `not like` and `not in` are a `not` around `like` and `in`. */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'in'

/** `field op value(s)`; `values` holds one value, or the list of `in`. `column` is where the field starts. */
export interface Compare {
  type: 'compare'
  field: Field
  op: CompareOp
  kind: ValueKind
  values: (number | string | boolean)[]
  column: number
}

/** `field is not null`: the field has a value (`is null` is a `not` around it). */
export interface Exists {
  type: 'exists'
  field: Field
  column: number
}

/** A whole filter. */
export type Filter = { type: 'and'; args: Filter[] } | { type: 'or'; args: Filter[] } | { type: 'not'; arg: Filter } | Compare | Exists

/** A sort key: `metrics.valid/loss desc`. */
export interface OrderBy {
  field: Field
  direction: 'asc' | 'desc'
  column: number
}

/**
 * The JSON text of a tree; numbers JSON cannot hold are written as strings,
 * which the comparison's `kind: 'number'` tells apart from text.
 *
 * @example astToJson(parseFilter('metrics.x > -inf')) // '{"type":"compare",...,"values":["-Infinity"],...}'
 */
export function astToJson(ast: Filter | OrderBy | null): string {
  return JSON.stringify(ast, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))
}
