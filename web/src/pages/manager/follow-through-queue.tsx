import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { day } from '../../format.ts'
import type { Me } from '../../session.ts'

interface Outcome {
  readonly id: string
  readonly period: string
  readonly repId: string
  readonly rule: string
  readonly effect: string
  readonly detail: unknown
  readonly state: 'due' | 'applied' | 'waived' | 'overdue' | 'void'
  readonly dueOn: string | null
  readonly owner: string | null
  readonly waiveRequestedBy: string | null
  readonly waiveReason: string | null
  readonly appliedNote: string | null
  readonly decision: string | null
}

/** The effect in words, with its value as the plan states it. */
function describe(o: Outcome): string {
  const d = o.detail
  switch (o.effect) {
    case 'pto_days':
      return `${String(d)} day(s) of paid time off`
    case 'warning':
      return `a formal warning: “${String(d)}”`
    case 'raise':
      return `a raise of ${(Number(d) * 100).toFixed(1)}%`
    case 'coaching':
      return `a coaching plan (${String((d as { program?: string } | null)?.program ?? '')})`
    case 'termination_review':
      return `a termination review: “${String(d)}”`
    default:
      return `${o.effect} ${JSON.stringify(d)}`
  }
}

/** The fields a person fills in to say what was done, per effect (what the server requires). */
function ApplyForm({ o, onDone }: { o: Outcome; onDone: (message: string) => void }) {
  const [note, setNote] = useState('')
  const [fields, setFields] = useState<Record<string, string>>({})
  const set = (key: string) => (e: { target: { value: string } }) =>
    setFields({ ...fields, [key]: e.target.value })
  const input = (key: string, label: string, type = 'text') => (
    <>
      <label htmlFor={`${o.id}-${key}`}>{label}</label>
      <input id={`${o.id}-${key}`} type={type} required value={fields[key] ?? ''} onChange={set(key)} />
    </>
  )
  const detail = (): Record<string, unknown> => {
    if (o.effect === 'pto_days')
      return { days: Number(fields.days ?? o.detail), exported: fields.exported ?? '' }
    if (o.effect === 'warning')
      return { delivered_on: fields.delivered_on, acknowledged_on: fields.acknowledged_on }
    if (o.effect === 'raise')
      return { effective_on: fields.effective_on, raise: fields.raise ?? String(o.detail) }
    return {}
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    try {
      await api.post(`/outcomes/${encodeURIComponent(o.id)}/apply`, { note, detail: detail() })
      onDone(`Applied: ${o.rule} for ${o.repId}.`)
    } catch (e) {
      onDone((e as Error).message)
    }
  }
  return (
    <form onSubmit={submit} aria-label={`Apply ${o.rule} for ${o.repId}`}>
      {o.effect === 'pto_days' && (
        <>
          {input('days', 'Days granted', 'number')}
          {input('exported', 'Where it was recorded (payroll or HR reference)')}
        </>
      )}
      {o.effect === 'warning' && (
        <>
          {input('delivered_on', 'Delivered on', 'date')}
          {input('acknowledged_on', 'Acknowledged by the rep on', 'date')}
        </>
      )}
      {o.effect === 'raise' && (
        <>
          {input('effective_on', 'Effective on', 'date')}
          {input('raise', 'Raise granted (factor, e.g. 0.03)')}
        </>
      )}
      <label htmlFor={`${o.id}-note`}>What was done</label>
      <input id={`${o.id}-note`} required value={note} onChange={(e) => setNote(e.target.value)} />
      <p>
        <button type="submit">Record as applied</button>
      </p>
    </form>
  )
}

function WaiveForm({ o, onDone }: { o: Outcome; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('')
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    try {
      await api.post(`/outcomes/${encodeURIComponent(o.id)}/waive`, { reason })
      onDone(`Waiver asked for ${o.rule} of ${o.repId}: a second person (owner or admin) must approve it.`)
    } catch (e) {
      onDone((e as Error).message)
    }
  }
  return (
    <form onSubmit={submit} aria-label={`Ask to waive ${o.rule} for ${o.repId}`}>
      <label htmlFor={`${o.id}-reason`}>Why it should be waived (written reason)</label>
      <input id={`${o.id}-reason`} required value={reason} onChange={(e) => setReason(e.target.value)} />
      <p>
        <button type="submit" className="secondary">
          Ask to waive
        </button>
      </p>
    </form>
  )
}

function Row({ o, me, onDone }: { o: Outcome; me: Me; onDone: (message: string) => void }) {
  const [open, setOpen] = useState<'apply' | 'waive' | null>(null)
  const approver =
    (me.role === 'owner' || me.role === 'admin') &&
    o.waiveRequestedBy !== null &&
    o.waiveRequestedBy !== me.personId
  const act = async (path: string, body: unknown, done: string) => {
    try {
      await api.post(`/outcomes/${encodeURIComponent(o.id)}/${path}`, body)
      onDone(done)
    } catch (e) {
      onDone((e as Error).message)
    }
  }
  return (
    <tr data-outcome={o.id}>
      <td>
        <a href={`#/reps/${encodeURIComponent(o.repId)}`}>{o.repId}</a>
      </td>
      <td>{o.period}</td>
      <td>
        <strong>{o.rule}</strong>: {describe(o)}
      </td>
      <td className={o.state === 'overdue' ? 'bad' : undefined}>
        {o.state}
        {o.dueOn === null ? '' : `, due ${day(o.dueOn)}`}
      </td>
      <td>
        {o.waiveRequestedBy !== null && (
          <p className="warn">
            Waiver asked: “{o.waiveReason}”{approver ? '' : ' (awaiting a second approver)'}
          </p>
        )}
        {approver && (
          <div className="row">
            <button
              type="button"
              onClick={() => void act('approve', {}, `Waiver of ${o.rule} for ${o.repId} approved.`)}
            >
              Approve waiver
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                const reason = window.prompt('Why is the waiver rejected?')
                if (reason !== null && reason.trim() !== '')
                  void act('reject', { reason }, 'Waiver rejected.')
              }}
            >
              Reject waiver
            </button>
          </div>
        )}
        {o.effect === 'termination_review' && o.decision === null && (
          <div className="row">
            <button
              type="button"
              className="secondary"
              onClick={() => void act('decide', { decision: 'separate' }, 'Decided: separate.')}
            >
              Separate
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                const reason = window.prompt('Why is the rep retained? (the plan applies again as stated)')
                if (reason !== null && reason.trim() !== '')
                  void act('decide', { decision: 'retain', reason }, 'Decided: retain.')
              }}
            >
              Retain
            </button>
          </div>
        )}
        {o.waiveRequestedBy === null && o.effect !== 'termination_review' && (
          <div className="row">
            <button
              type="button"
              className="secondary"
              aria-expanded={open === 'apply'}
              onClick={() => setOpen(open === 'apply' ? null : 'apply')}
            >
              Apply…
            </button>
            <button
              type="button"
              className="secondary"
              aria-expanded={open === 'waive'}
              onClick={() => setOpen(open === 'waive' ? null : 'waive')}
            >
              Waive…
            </button>
          </div>
        )}
        {/* Once a waiver is asked, the item awaits its approver: no form stays open. */}
        {open === 'apply' && o.waiveRequestedBy === null && <ApplyForm o={o} onDone={onDone} />}
        {open === 'waive' && o.waiveRequestedBy === null && <WaiveForm o={o} onDone={onDone} />}
      </td>
    </tr>
  )
}

/** What came due and is not done yet: apply it, or ask to waive it (a second person approves). */
export function FollowThroughQueue({ me }: { me: Me }) {
  const queries = useQueryClient()
  const [message, setMessage] = useState<string | null>(null)
  const [state, setState] = useState<'open' | 'applied' | 'waived'>('open')
  const list = useQuery({
    queryKey: ['outcomes', state],
    queryFn: async () => {
      if (state !== 'open')
        return (await api.get<{ items: Outcome[] }>(`/outcomes?state=${state}&limit=500`)).items
      const [due, overdue] = await Promise.all([
        api.get<{ items: Outcome[] }>('/outcomes?state=due&limit=500'),
        api.get<{ items: Outcome[] }>('/outcomes?state=overdue&limit=500'),
      ])
      return [...overdue.items, ...due.items]
    },
  })
  const done = (text: string) => {
    setMessage(text)
    void queries.invalidateQueries({ queryKey: ['outcomes'] })
  }
  const items = list.data ?? []
  return (
    <>
      <h1>Follow-through</h1>
      <p className="muted">
        Every incentive and consequence that came due at a close: applied, or waived with a written reason and
        a second approver. Nothing disappears; past its due date an item shows as overdue to the executives.
      </p>
      <div className="row" role="group" aria-label="Show">
        {(['open', 'applied', 'waived'] as const).map((s) => (
          <button
            key={s}
            type="button"
            className={state === s ? undefined : 'secondary'}
            aria-pressed={state === s}
            onClick={() => setState(s)}
          >
            {s === 'open' ? 'Due and overdue' : s}
          </button>
        ))}
      </div>
      {message !== null && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {list.isError && <p className="error">{list.error.message}</p>}
      <div className="card" style={{ overflowX: 'auto' }}>
        {items.length === 0 && !list.isPending ? (
          <p>Nothing here.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Rep</th>
                <th scope="col">Period</th>
                <th scope="col">What the plan said</th>
                <th scope="col">State</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {items.map((o) => (
                <Row key={o.id} o={o} me={me} onDone={done} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  )
}
