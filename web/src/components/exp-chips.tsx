import type { ExperimentSummary } from '../lib/api'
import { runColor } from '../lib/colors'
import { href } from '../lib/route'
import { CollapseBar, useCollapsedList } from './collapsed-list'
import { StatusBadge } from './status-badge'

// Past this many, chips would push the charts below the fold: show a count and a search box.
const MAX_CHIPS = 12

/** The experiments of a chart, each with its colour, status and a link to its page; a count with a search past a dozen. */
export function ExpChips({ exps }: { exps: readonly ExperimentSummary[] }) {
  const indexed = exps.map((e, i) => [e, i] as const)
  const list = useCollapsedList(indexed, MAX_CHIPS, 40, ([e]) => e.name)
  const { collapsed, shown } = list
  return (
    <div className="chips-wrap">
      {collapsed && <CollapseBar list={list} label={`${exps.length} experiments`} find="find an experiment" testId="chips" />}
      {shown.length > 0 && (
        <div className={`chips${collapsed ? ' scroll' : ''}`}>
          {shown.map(([e, i]) => (
            <a key={e.name} className="chip" href={href(`/exp/${encodeURIComponent(e.name)}`)} data-testid="exp-chip">
              <i style={{ background: runColor(i) }} />
              <span>{e.name}</span>
              <StatusBadge status={e.status} />
            </a>
          ))}
        </div>
      )}
    </div>
  )
}
