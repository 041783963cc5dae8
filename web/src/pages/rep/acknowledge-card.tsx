import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { day } from '../../format.ts'

interface Pending {
  readonly repId: string
  readonly repName: string
  readonly planId: string
  readonly version: number
  readonly hash: string
  readonly appliesFrom: string
  readonly inForce: boolean
}

/** The plan versions the rep has not acknowledged yet: read the document, type your name, acknowledge. */
export function AcknowledgeCard({ repId }: { repId: string }) {
  const queries = useQueryClient()
  const pending = useQuery({
    queryKey: ['acknowledgements', 'pending'],
    queryFn: () => api.get<{ items: Pending[] }>('/acknowledgements/pending'),
  })
  const mine = (pending.data?.items ?? []).filter((p) => p.repId === repId)
  if (mine.length === 0) return null
  return (
    <section className="card" aria-labelledby="ack-title">
      <h2 id="ack-title">Your plan to acknowledge</h2>
      {mine.map((p) => (
        <Acknowledge
          key={`${p.planId}-${p.version}`}
          p={p}
          onDone={() => void queries.invalidateQueries({ queryKey: ['acknowledgements'] })}
        />
      ))}
    </section>
  )
}

function Acknowledge({ p, onDone }: { p: Pending; onDone: () => void }) {
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const doc = `/api/plans/${encodeURIComponent(p.planId)}/document?version=${p.version}`
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      await api.post(`/plans/${encodeURIComponent(p.planId)}/acknowledge`, { name, version: p.version })
      onDone()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <form onSubmit={submit} aria-label={`Acknowledge ${p.planId} version ${p.version}`}>
      <p>
        Plan <strong>{p.planId}</strong> version {p.version}{' '}
        {p.inForce ? 'applies to you now' : `applies from ${day(p.appliesFrom)}`}. Read it first:{' '}
        <a href={`${doc}&format=html`} target="_blank" rel="noreferrer">
          the plan document
        </a>{' '}
        (<a href={`${doc}&format=pdf`}>PDF</a>). Its fingerprint is <code>{p.hash.slice(0, 16)}</code>.
      </p>
      <label htmlFor={`ack-${p.planId}-${p.version}`}>
        Type your full name ({p.repName}) to acknowledge it
      </label>
      <input
        id={`ack-${p.planId}-${p.version}`}
        required
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p>
        <button type="submit">I have read and acknowledge this plan</button>
      </p>
    </form>
  )
}
