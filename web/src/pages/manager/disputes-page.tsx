import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { money } from '../../format.ts'
import { useOrg } from '../../session.ts'

interface Dispute {
  readonly id: number
  readonly repId: string
  readonly period: string
  readonly ledgerSeq: number
  readonly line: { kind: string; rule: string | null; deal: string | null; amountMinor: number }
  readonly message: string
  readonly openedAt: string
  readonly state: 'open' | 'accepted' | 'rejected'
  readonly reason: string | null
  readonly adjustment: { amountMinor: number; period: string } | null
}

/** Parses a decimal amount typed by a person ("-12.50") into minor units, exactly; null when not a number. */
function toMinor(text: string, digits: number): number | null {
  const match = /^\s*(-)?(\d+)(?:\.(\d+))?\s*$/.exec(text)
  if (match === null || (match[3]?.length ?? 0) > digits) return null
  const minor =
    BigInt(match[2] ?? '0') * 10n ** BigInt(digits) + BigInt((match[3] ?? '').padEnd(digits, '0') || '0')
  return Number(match[1] === '-' ? -minor : minor)
}

function Answer({ d, currency, onDone }: { d: Dispute; currency: string; onDone: (text: string) => void }) {
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  const accept = async (event: FormEvent) => {
    event.preventDefault()
    const amountMinor = toMinor(amount, digits)
    if (amountMinor === null || amountMinor === 0)
      return onDone('Give the adjustment as an amount, e.g. 125.00 or -40.00.')
    try {
      await api.post(`/disputes/${d.id}/accept`, { amountMinor, ...(reason === '' ? {} : { reason }) })
      onDone(`Accepted: ${money(amountMinor, currency)} booked as an adjustment in the next open period.`)
    } catch (e) {
      onDone((e as Error).message)
    }
  }
  const reject = async () => {
    if (reason.trim() === '') return onDone('A rejection needs a written reason: the rep reads it.')
    try {
      await api.post(`/disputes/${d.id}/reject`, { reason })
      onDone('Rejected with the reason given.')
    } catch (e) {
      onDone((e as Error).message)
    }
  }
  return (
    <form onSubmit={accept} aria-label={`Answer dispute ${d.id}`}>
      <label htmlFor={`amount-${d.id}`}>Adjustment if accepted ({currency})</label>
      <input
        id={`amount-${d.id}`}
        inputMode="decimal"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
      />
      <label htmlFor={`reason-${d.id}`}>Reason (required to reject)</label>
      <input id={`reason-${d.id}`} value={reason} onChange={(e) => setReason(e.target.value)} />
      <p className="row">
        <button type="submit">Accept</button>
        <button type="button" className="secondary" onClick={() => void reject()}>
          Reject
        </button>
      </p>
    </form>
  )
}

/** Disputes raised by reps on statement lines: accept (an adjustment through the ledger) or reject with a reason. */
export function DisputesPage() {
  const queries = useQueryClient()
  const org = useOrg()
  const currency = org.data?.currency ?? 'USD'
  const list = useQuery({ queryKey: ['disputes'], queryFn: () => api.get<{ items: Dispute[] }>('/disputes') })
  const [status, setStatus] = useState<string | null>(null)
  const done = (text: string) => {
    setStatus(text)
    void queries.invalidateQueries({ queryKey: ['disputes'] })
  }
  const items = list.data?.items ?? []
  return (
    <>
      <h1>Disputes</h1>
      {status !== null && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
      {items.length === 0 && !list.isPending && <p>No dispute so far.</p>}
      <div className="grid">
        {items.map((d) => (
          <section key={d.id} className="card" aria-labelledby={`dispute-${d.id}`}>
            <h2 id={`dispute-${d.id}`}>
              {d.repId} · {d.period} · entry #{d.ledgerSeq}
            </h2>
            <p>
              {d.line.kind} {d.line.rule ?? ''} {d.line.deal === null ? '' : `(deal ${d.line.deal})`}:{' '}
              {money(d.line.amountMinor, currency)}
            </p>
            <blockquote>“{d.message}”</blockquote>
            {d.state === 'open' ? (
              <Answer d={d} currency={currency} onDone={done} />
            ) : (
              <p className={d.state === 'accepted' ? 'good' : 'muted'}>
                {d.state}
                {d.adjustment === null
                  ? ''
                  : `: ${money(d.adjustment.amountMinor, currency)} in ${d.adjustment.period}`}
                {d.reason === null ? '' : ` · ${d.reason}`}
              </p>
            )}
          </section>
        ))}
      </div>
    </>
  )
}
