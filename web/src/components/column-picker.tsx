import { useEffect, useRef, useState } from 'react'
import { seriesColumnId } from '../lib/columns'
import { paramText } from '../lib/format'

/**
 * A popover to choose which params and series aggregates the table shows.
 * Params with one value across the listed experiments say which (they are not
 * shown by default).
 */
export function ColumnPicker({
  params,
  constants,
  series,
  chosen,
  onChange,
}: {
  params: string[]
  constants?: ReadonlyMap<string, unknown>
  series: string[]
  chosen: string[]
  onChange: (cols: string[]) => void
}) {
  const [open, setOpen] = useState(false)
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])
  const toggle = (id: string) => onChange(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id])
  return (
    <div className="popover-anchor" ref={ref}>
      <button type="button" className="btn" data-testid="columns-button" onClick={() => setOpen(!open)}>
        Columns ▾
      </button>
      {open && (
        <div className="popover" data-testid="columns-popover">
          <div className="popover-section">Params</div>
          {params.length === 0 && <div className="muted small">none</div>}
          {params.map((k) => (
            <label key={k} className="check">
              <input type="checkbox" checked={chosen.includes(`params.${k}`)} onChange={() => toggle(`params.${k}`)} /> {k}
              {constants?.has(k) && (
                <span className="muted small" data-testid="constant-param" title="the same in every listed experiment">
                  = {paramText(constants.get(k))}
                </span>
              )}
            </label>
          ))}
          <div className="popover-section">Series (last · min · max)</div>
          {series.length === 0 && <div className="muted small">none</div>}
          {series.map((k) => (
            <div key={k} className="check">
              {(['last', 'min', 'max'] as const).map((agg) => (
                <input
                  key={agg}
                  type="checkbox"
                  title={agg}
                  aria-label={`${agg} of ${k}`}
                  checked={chosen.includes(seriesColumnId(k, agg))}
                  onChange={() => toggle(seriesColumnId(k, agg))}
                />
              ))}{' '}
              {k}
            </div>
          ))}
        </div>
      )}
    </div>
  )
}
