// The "step" range input under an image, a logged table or a row of compared
// images: one component, so the three read and behave alike (keys, aria text).

/** A slider over `count` positions, `at` the current one, showing its step (— for none). */
export function StepSlider({
  count,
  at,
  step,
  label,
  testId,
  onChange,
}: {
  count: number
  at: number
  step: number | null
  label: string
  testId: string
  onChange: (at: number) => void
}) {
  const shown = step ?? '—'
  return (
    <label className="image-slider small">
      <span className="muted">step</span>
      <input
        type="range"
        min={0}
        max={count - 1}
        value={at}
        data-testid={testId}
        aria-label={label}
        aria-valuetext={`step ${shown}`}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      <span className="mono">{shown}</span>
    </label>
  )
}
