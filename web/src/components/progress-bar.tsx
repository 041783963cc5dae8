import { percent } from '../format.ts'

export interface BarMark {
  readonly at: number
  /** Short, drawn on the bar ("120%"). */
  readonly label: string
  /** What the mark is, for a tooltip ("pto-at-120"). */
  readonly title?: string
}

/**
 * Attainment as a bar, with the projection at period end behind it and the plan's marks (gate,
 * 100%, rewards) drawn on it. The scale runs to the largest of 150%, the marks and the projection.
 */
export function ProgressBar({
  label,
  attainment,
  projected,
  marks,
}: {
  label: string
  attainment: number
  projected: number | null
  marks: readonly BarMark[]
}) {
  const top = Math.max(1.5, attainment, projected ?? 0, ...marks.map((m) => m.at)) * 1.05
  const pos = (f: number) => `${Math.min(100, (Math.max(0, f) / top) * 100)}%`
  return (
    <div>
      <div
        className="bar"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={Math.round(top * 100)}
        aria-valuenow={Math.round(attainment * 100)}
        aria-valuetext={`${percent(attainment)}${projected === null ? '' : `, on pace for ${percent(projected)}`}`}
      >
        {projected !== null && projected > attainment && (
          <div className="pace" style={{ width: pos(projected) }} />
        )}
        <div className="fill" style={{ width: pos(attainment) }} />
        {marks.map((m, i) => (
          <div key={i} className="mark" style={{ left: pos(m.at) }} title={m.title ?? m.label}>
            <span>{m.label}</span>
          </div>
        ))}
      </div>
      <p className="muted">
        {percent(attainment)} now
        {projected === null ? '' : ` · on pace for ${percent(projected)} at period end`}
      </p>
    </div>
  )
}
