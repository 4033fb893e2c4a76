import type { ExperimentSummary } from '../lib/api'
import { runColor } from '../lib/colors'
import { href } from '../lib/route'
import { StatusBadge } from './status-badge'

/** The experiments of a chart, each with its colour, status and a link to its page. */
export function ExpChips({ exps }: { exps: readonly ExperimentSummary[] }) {
  return (
    <div className="chips">
      {exps.map((e, i) => (
        <a key={e.name} className="chip" href={href(`/exp/${encodeURIComponent(e.name)}`)} data-testid="exp-chip">
          <i style={{ background: runColor(i) }} />
          <span>{e.name}</span>
          <StatusBadge status={e.status} />
        </a>
      ))}
    </div>
  )
}
