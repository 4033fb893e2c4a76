// A list that shows every item while few; past a limit, a count that opens it
// and a search box that finds items in it. The chart's experiment chips and a
// panel's legend are such lists: the plot must stay the main thing on screen.
import { type ReactNode, useState } from 'react'

/** The state of a collapsible, searchable list (from useCollapsedList). */
export interface CollapsedList<T> {
  open: boolean
  setOpen: (open: boolean) => void
  search: string
  setSearch: (search: string) => void
  /** More than `max` items: the bar is shown and the list starts closed. */
  collapsed: boolean
  /** The search, trimmed and lower-cased ('' when none). */
  needle: string
  /** The items to draw: all while few; else the first `limit` matches, all when opened, or none. */
  shown: readonly T[]
}

/**
 * Which of `items` to show, given `max` before collapsing and at most `limit` search matches.
 *
 * @example
 *   const list = useCollapsedList(exps, 12, 40, (e) => e.name)
 *   list.shown.map((e) => <Chip exp={e} />)
 */
export function useCollapsedList<T>(items: readonly T[], max: number, limit: number, text: (item: T) => string): CollapsedList<T> {
  const [open, setOpen] = useState(false)
  const [search, setSearch] = useState('')
  const collapsed = items.length > max
  const needle = search.trim().toLowerCase()
  const shown = !collapsed ? items : needle ? items.filter((it) => text(it).toLowerCase().includes(needle)).slice(0, limit) : open ? items : []
  return { open, setOpen, search, setSearch, collapsed, needle, shown }
}

/**
 * The bar of a collapsed list: a toggle labelled with the count and a search box;
 * `testId` prefixes their data-testid (`-toggle`, `-search`), `find` names the search.
 *
 * @example
 *   {list.collapsed && <CollapseBar list={list} label={`${exps.length} experiments`} find="find an experiment" testId="chips" />}
 */
export function CollapseBar({
  list,
  label,
  find,
  testId,
  children,
}: {
  list: CollapsedList<unknown>
  label: string
  find: string
  testId: string
  children?: ReactNode
}) {
  return (
    <div className="legend-bar">
      <button type="button" className="btn ghost small" data-testid={`${testId}-toggle`} aria-expanded={list.open} onClick={() => list.setOpen(!list.open)}>
        {list.open ? '▾' : '▸'} {label}
      </button>
      <input
        className="input small legend-search"
        type="search"
        placeholder={`${find}…`}
        aria-label={find}
        data-testid={`${testId}-search`}
        value={list.search}
        onChange={(e) => list.setSearch(e.target.value)}
      />
      {children}
    </div>
  )
}
