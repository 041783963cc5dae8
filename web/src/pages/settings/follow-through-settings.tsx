import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'

const EFFECTS = [
  ['default', 'Any other effect'],
  ['pto_days', 'PTO days'],
  ['raise', 'Raise'],
  ['warning', 'Warning'],
  ['coaching', 'Coaching plan'],
  ['termination_review', 'Termination review'],
] as const

type Effect = (typeof EFFECTS)[number][0]

interface FollowThroughSettings {
  readonly dueDays: Record<Effect, number>
  readonly underPerformers: { readonly k: number; readonly n: number }
}

/** Due days per effect for the outcomes a close opens, and K of N for under-performers. */
export function FollowThroughSettingsForm() {
  const queries = useQueryClient()
  const current = useQuery({
    queryKey: ['settings', 'follow-through'],
    queryFn: () => api.get<FollowThroughSettings>('/settings/follow-through'),
  })
  const [draft, setDraft] = useState<Record<string, string> | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  if (current.isPending) return <p className="muted">Loading the follow-through settings…</p>
  if (current.isError) return <p className="error">{current.error.message}</p>
  const data = current.data
  const value: Record<string, string> = draft ?? {
    ...Object.fromEntries(EFFECTS.map(([key]) => [key, String(data.dueDays[key])])),
    k: String(data.underPerformers.k),
    n: String(data.underPerformers.n),
  }
  const set = (key: string) => (e: { target: { value: string } }) =>
    setDraft({ ...value, [key]: e.target.value })
  const save = async (event: FormEvent) => {
    event.preventDefault()
    try {
      await api.put('/settings/follow-through', {
        dueDays: Object.fromEntries(EFFECTS.map(([key]) => [key, Number(value[key])])),
        underPerformers: { k: Number(value.k), n: Number(value.n) },
      })
      setMessage('Saved. Closes from now on use these due days.')
      setDraft(null)
      await queries.invalidateQueries({ queryKey: ['settings', 'follow-through'] })
    } catch (e) {
      setMessage((e as Error).message)
    }
  }
  return (
    <form className="card" onSubmit={save} aria-labelledby="ft-settings-title">
      <h2 id="ft-settings-title">Follow-through</h2>
      <fieldset>
        <legend>Days from the period end until an outcome is due</legend>
        {EFFECTS.map(([key, label]) => (
          <p key={key}>
            <label htmlFor={`due-${key}`}>{label}</label>
            <input
              id={`due-${key}`}
              type="number"
              min={0}
              max={366}
              inputMode="numeric"
              value={value[key]}
              onChange={set(key)}
            />
          </p>
        ))}
      </fieldset>
      <fieldset>
        <legend>Under-performers: bottom quartile among peers in K of the last N closed periods</legend>
        <p className="row">
          <label htmlFor="up-k">K</label>
          <input id="up-k" type="number" min={1} max={120} value={value.k} onChange={set('k')} />
          <label htmlFor="up-n">N</label>
          <input id="up-n" type="number" min={1} max={120} value={value.n} onChange={set('n')} />
        </p>
      </fieldset>
      <p className="row">
        <button type="submit">Save</button>
        {message !== null && <span role="status">{message}</span>}
      </p>
    </form>
  )
}
