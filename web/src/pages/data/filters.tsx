import { useState, type FormEvent, type ReactNode } from 'react'
import type { Rep } from './paged.ts'

export type Filters = Record<string, string>

/**
 * A filter form: a rep, a date range and whatever else the page adds (`extra`, given the draft and
 * its setter); the filters apply when the form is submitted.
 */
export function FilterForm({
  id,
  reps,
  initial,
  onApply,
  extra,
}: {
  id: string
  reps: readonly Rep[]
  initial: Filters
  onApply: (filters: Filters) => void
  extra?: (draft: Filters, set: (name: string, value: string) => void) => ReactNode
}) {
  const [draft, setDraft] = useState<Filters>(initial)
  const set = (name: string, value: string) => setDraft((d) => ({ ...d, [name]: value }))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onApply(draft)
  }
  return (
    <form className="row" onSubmit={submit} aria-label="Filters" style={{ alignItems: 'flex-end' }}>
      <div>
        <label htmlFor={`${id}-rep`}>Rep</label>
        <select id={`${id}-rep`} value={draft.repId ?? ''} onChange={(e) => set('repId', e.target.value)}>
          <option value="">All reps</option>
          {reps.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.id})
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-from`}>From</label>
        <input id={`${id}-from`} type="date" value={draft.from ?? ''} onChange={(e) => set('from', e.target.value)} />
      </div>
      <div>
        <label htmlFor={`${id}-to`}>To</label>
        <input id={`${id}-to`} type="date" value={draft.to ?? ''} onChange={(e) => set('to', e.target.value)} />
      </div>
      {extra?.(draft, set)}
      <div>
        <button type="submit">Apply filters</button>{' '}
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setDraft({})
            onApply({})
          }}
        >
          Clear
        </button>
      </div>
    </form>
  )
}
