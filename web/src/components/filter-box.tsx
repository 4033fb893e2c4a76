import { useEffect, useState } from 'react'

/**
 * The filter box: the same language as `mldb ls --where`. Applied on Enter
 * (or when the box loses focus), so a half-typed filter is not an error yet.
 */
export function FilterBox({ value, error, onApply }: { value: string; error: string | undefined; onApply: (where: string) => void }) {
  const [text, setText] = useState(value)
  useEffect(() => setText(value), [value])
  const apply = () => {
    if (text.trim() !== value) onApply(text.trim())
  }
  return (
    <div className="filter">
      <div className="filter-row">
        <input
          data-testid="filter-input"
          className={error ? 'input invalid' : 'input'}
          spellCheck={false}
          placeholder="filter: params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') apply()
            if (e.key === 'Escape') setText(value)
          }}
          onBlur={apply}
        />
        {value && (
          <button
            type="button"
            className="btn ghost"
            data-testid="filter-clear"
            onClick={() => {
              setText('')
              onApply('')
            }}
          >
            clear
          </button>
        )}
      </div>
      {error && (
        <div className="filter-error" data-testid="filter-error" role="alert">
          {error}
        </div>
      )}
    </div>
  )
}
