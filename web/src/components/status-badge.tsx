import { STATUS_COLORS } from '../lib/colors'

/** A status as a coloured pill; unknown (user-defined) statuses are grey. */
export function StatusBadge({ status }: { status: string }) {
  const color = STATUS_COLORS[status] ?? '#475569'
  return (
    <span className="badge" data-testid="status-badge" data-status={status} style={{ color, borderColor: color, background: `${color}14` }}>
      {status}
    </span>
  )
}
