import { useState } from 'react'
import type { ExperimentSummary } from '../lib/api'
import { runColor } from '../lib/colors'
import { href } from '../lib/route'
import { StatusBadge } from './status-badge'

// Past this many, chips would push the charts below the fold: show a count and a search box.
const MAX_CHIPS = 12

/** The experiments of a chart, each with its colour, status and a link to its page; a count with a search past a dozen. */
export function ExpChips({ exps }: { exps: readonly ExperimentSummary[] }) {
  const [open, setOpen] = useState(false)
  const [search, setSearch] = useState('')
  const collapsed = exps.length > MAX_CHIPS
  const needle = search.trim().toLowerCase()
  const indexed = exps.map((e, i) => [e, i] as const)
  const shown = !collapsed ? indexed : needle ? indexed.filter(([e]) => e.name.toLowerCase().includes(needle)).slice(0, 40) : open ? indexed : []
  return (
    <div className="chips-wrap">
      {collapsed && (
        <div className="legend-bar">
          <button type="button" className="btn ghost small" data-testid="chips-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? '▾' : '▸'} {exps.length} experiments
          </button>
          <input
            className="input small legend-search"
            type="search"
            placeholder="find an experiment…"
            aria-label="find an experiment"
            data-testid="chips-search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
      )}
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
