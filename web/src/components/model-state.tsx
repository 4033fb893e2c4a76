import type { ModelState } from '../lib/models-api'

/** The missing/changed mark of a registered version's file (nothing when ok). */
export function ModelStateMark({ state }: { state: ModelState }) {
  if (state === 'ok') return null
  return (
    <span className={`file-problem ${state}`} data-testid="model-state" data-state={state}>
      {state}
    </span>
  )
}
