import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { day } from '../../format.ts'

interface CoachingListing {
  readonly id: string
  readonly repId: string
  readonly program: string
  readonly openedPeriod: string
  readonly lastPeriod: string
  readonly passCondition: string
  readonly state: string
  readonly decidedPeriod: string | null
  readonly items: number
  readonly done: number
}

interface CoachingItem {
  readonly id: string
  readonly kind: 'training' | 'check_in'
  readonly title: string
  readonly dueOn: string
  readonly status: 'done' | 'due' | 'late'
  readonly doneAt: string | null
  readonly notes: string | null
}

interface CoachingView {
  readonly plan: { id: string; program: string; state: string }
  readonly passInWords: string
  readonly items: readonly CoachingItem[]
  readonly expected: readonly string[]
}

const STATES = ['open', 'passed', 'failed', 'undecided', 'void'] as const
const KIND: Record<string, string> = { training: 'Training', check_in: 'Check-in' }

function Complete({ item, onDone }: { item: CoachingItem; onDone: (text: string) => void }) {
  const [notes, setNotes] = useState('')
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    try {
      await api.post(`/coaching/items/${encodeURIComponent(item.id)}/complete`, { notes })
      onDone(`Recorded as done: ${item.title}.`)
    } catch (e) {
      onDone((e as Error).message)
    }
  }
  return (
    <form onSubmit={submit} aria-label={`Record ${item.title} as done`}>
      <label htmlFor={`notes-${item.id}`}>Notes</label>
      <textarea id={`notes-${item.id}`} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
      <button type="submit">Record as done</button>
    </form>
  )
}

function Schedule({ repId, onDone }: { repId: string; onDone: (text: string) => void }) {
  const [kind, setKind] = useState<'training' | 'check_in'>('check_in')
  const [title, setTitle] = useState('')
  const [dueOn, setDueOn] = useState('')
  const id = `schedule-${repId}`
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (title.trim() === '' || dueOn === '') return onDone('Give the item a title and a due date.')
    try {
      await api.post(`/coaching/${encodeURIComponent(repId)}/items`, { kind, title: title.trim(), dueOn })
      setTitle('')
      onDone(`Scheduled: ${KIND[kind]} “${title.trim()}” due ${day(dueOn)}.`)
    } catch (e) {
      onDone((e as Error).message)
    }
  }
  return (
    <form onSubmit={submit} aria-label={`Schedule an item for ${repId}`} className="form">
      <h3>Schedule a training item or check-in</h3>
      <label htmlFor={`${id}-kind`}>Kind</label>
      <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
        <option value="check_in">Check-in</option>
        <option value="training">Training</option>
      </select>
      <label htmlFor={`${id}-title`}>Title</label>
      <input id={`${id}-title`} value={title} onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor={`${id}-due`}>Due on</label>
      <input id={`${id}-due`} type="date" value={dueOn} onChange={(e) => setDueOn(e.target.value)} />
      <p>
        <button type="submit">Schedule</button>
      </p>
    </form>
  )
}

/** The rep's current plan: what decides it, its items (done or to record) and the form to schedule more. */
function PlanItems({ listing, onDone }: { listing: CoachingListing; onDone: (text: string) => void }) {
  const view = useQuery({
    queryKey: ['coaching', listing.repId],
    queryFn: () => api.get<CoachingView>(`/coaching/${encodeURIComponent(listing.repId)}`),
  })
  if (view.isError) return <p className="error">{view.error.message}</p>
  if (view.data === undefined) return <p className="muted">Loading…</p>
  const v = view.data
  const current = v.plan.id === listing.id
  return (
    <>
      <p>Passed with {v.passInWords}.</p>
      {v.expected.length > 0 && (
        <ul>
          {v.expected.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      )}
      {current && v.items.length === 0 && <p className="muted">Nothing scheduled yet.</p>}
      {current && v.items.length > 0 && (
        <table>
          <caption className="visually-hidden">Items of the coaching plan of {listing.repId}</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {v.items.map((item) => (
              <tr key={item.id}>
                <td>
                  {KIND[item.kind]}: {item.title}
                </td>
                <td>{day(item.dueOn)}</td>
                <td>
                  <span className={item.status === 'late' ? 'bad' : item.status === 'done' ? 'good' : ''}>
                    {item.status}
                  </span>
                  {item.notes !== null && <p className="muted">{item.notes}</p>}
                  {item.status !== 'done' && listing.state === 'open' && (
                    <Complete item={item} onDone={onDone} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {current && listing.state === 'open' && <Schedule repId={listing.repId} onDone={onDone} />}
    </>
  )
}

/** Coaching plans opened by rules, by state; per plan its training items and check-ins. */
export function CoachingPage() {
  const queries = useQueryClient()
  const [state, setState] = useState<(typeof STATES)[number]>('open')
  const [status, setStatus] = useState<string | null>(null)
  const [opened, setOpened] = useState<string | null>(null)
  const list = useQuery({
    queryKey: ['coaching', 'plans', state],
    queryFn: () => api.get<{ items: CoachingListing[] }>(`/coaching?state=${state}`),
  })
  const done = (text: string) => {
    setStatus(text)
    void queries.invalidateQueries({ queryKey: ['coaching'] })
  }
  const items = list.data?.items ?? []
  return (
    <>
      <h1>Coaching plans</h1>
      <div className="form">
        <label htmlFor="coaching-state">State</label>
        <select id="coaching-state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div role="status">{status !== null && <p className="notice">{status}</p>}</div>
      {list.isError && <p className="error">{list.error.message}</p>}
      {!list.isPending && items.length === 0 && <p>No {state} coaching plan.</p>}
      <div className="grid">
        {items.map((p) => (
          <section key={p.id} className="card" aria-labelledby={`coaching-${p.id}`}>
            <h2 id={`coaching-${p.id}`}>
              {p.repId}: {p.program}
            </h2>
            <p>
              {p.openedPeriod} to {p.lastPeriod} · {p.state}
              {p.decidedPeriod === null ? '' : ` in ${p.decidedPeriod}`} · {p.done} of {p.items} items done
            </p>
            <p className="muted">
              Pass: <code>{p.passCondition}</code>
            </p>
            <button
              type="button"
              className="secondary"
              aria-expanded={opened === p.id}
              onClick={() => setOpened(opened === p.id ? null : p.id)}
            >
              {opened === p.id ? 'Hide items' : 'Items and check-ins'}
            </button>
            {opened === p.id && <PlanItems listing={p} onDone={done} />}
          </section>
        ))}
      </div>
    </>
  )
}
