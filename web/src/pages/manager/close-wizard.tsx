import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api.ts'
import { money } from '../../format.ts'
import { useOrg } from '../../session.ts'
import type { Period, RepResultJson } from '../../types.ts'

interface CloseOutcome {
  readonly closeId: string
  readonly period: string
  readonly dryRun: boolean
  readonly result: {
    plans: { id: string; currency: string; periods: { period: string; reps: RepResultJson[] }[] }[]
  }
  readonly head: { seq: number; hash: string } | null
  readonly changes: readonly string[]
}

/** The month after the latest closed one (the next to close), or the current month with none closed. */
function nextToClose(periods: readonly Period[], today: Date): string {
  const months = periods.filter((p) => p.kind === 'month' && p.status === 'closed').map((p) => p.key)
  const last = months.sort().at(-1)
  if (last === undefined) return `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}`
  const [y, m] = last.split('-').map(Number)
  const next = new Date(Date.UTC(y ?? 2026, m ?? 1, 1))
  return `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}`
}

/** Close a period in three steps: dry run → review what it would store and what changed → close. */
export function CloseWizard() {
  const queries = useQueryClient()
  const org = useOrg()
  const periods = useQuery({ queryKey: ['periods'], queryFn: () => api.get<{ items: Period[] }>('/periods') })
  const [chosen, setChosen] = useState<string | null>(null)
  const [dry, setDry] = useState<CloseOutcome | null>(null)
  const [closed, setClosed] = useState<CloseOutcome | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const period = chosen ?? (periods.data === undefined ? null : nextToClose(periods.data.items, new Date()))
  const currency = org.data?.currency ?? 'USD'

  const act = async (what: 'dry-run' | 'close') => {
    if (period === null) return
    setBusy(true)
    setError(null)
    try {
      const out = await api.post<CloseOutcome>(`/periods/${period}/${what}`)
      if (what === 'dry-run') setDry(out)
      else {
        setClosed(out)
        await queries.invalidateQueries()
      }
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  const step = closed !== null ? 3 : dry !== null ? 2 : 1
  return (
    <>
      <h1>Close a period</h1>
      <ol className="row" aria-label="Steps" style={{ listStyle: 'none', padding: 0 }}>
        {['Dry run', 'Review', 'Close'].map((label, i) => (
          <li
            key={label}
            className="pill"
            aria-current={step === i + 1 ? 'step' : undefined}
            style={step === i + 1 ? { fontWeight: 700 } : undefined}
          >
            {i + 1}. {label}
          </li>
        ))}
      </ol>
      <div className="card form">
        <label htmlFor="close-period">Period</label>
        <input
          id="close-period"
          value={period ?? ''}
          onChange={(e) => {
            setChosen(e.target.value)
            setDry(null)
            setClosed(null)
          }}
        />
        <p className="row">
          <button type="button" disabled={busy || period === null} onClick={() => void act('dry-run')}>
            Dry run
          </button>
          <button
            type="button"
            disabled={busy || dry === null || closed !== null}
            onClick={() => void act('close')}
          >
            Close {period}
          </button>
        </p>
        {busy && <p role="status">Computing with the one engine…</p>}
      </div>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {closed !== null && (
        <p className="notice" role="status">
          {closed.period} is closed. Ledger head #{closed.head?.seq}{' '}
          <code>{closed.head?.hash.slice(0, 16)}</code>; the outcomes that came due are in the follow-through
          queue.
        </p>
      )}
      {dry !== null && <Review outcome={closed ?? dry} currency={currency} />}
    </>
  )
}

function Review({ outcome, currency }: { outcome: CloseOutcome; currency: string }) {
  const reps = outcome.result.plans.flatMap((plan) =>
    plan.periods
      .filter((p) => p.period === outcome.period)
      .flatMap((p) => p.reps.map((r) => ({ plan: plan.id, r }))),
  )
  const total = reps.reduce((sum, { r }) => sum + BigInt(r.payout), 0n)
  const adjustments = reps.flatMap(({ r }) =>
    r.lines.filter((l) => l.kind === 'adjustment').map((l) => ({ rep: r.rep, l })),
  )
  return (
    <>
      <section className="card" aria-labelledby="changes-title">
        <h2 id="changes-title">What changed since the last dry run</h2>
        {outcome.changes.length === 0 ? (
          <p className="muted">Nothing (or this is the first dry run).</p>
        ) : (
          <ul>
            {outcome.changes.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        )}
        {adjustments.length > 0 && (
          <>
            <h3>Late data: prior-period adjustments</h3>
            <p className="muted">
              Deals that arrived or changed after an earlier period was closed. That period stays as it was;
              the difference is booked here.
            </p>
            <ul>
              {adjustments.map(({ rep, l }, i) => (
                <li key={i}>
                  {rep}: {money(l.amount, currency)} ({l.rule ?? 'adjustment'})
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section className="card" aria-labelledby="review-title">
        <h2 id="review-title">
          {outcome.period}: {reps.length} reps, payouts {money(total, currency)}
        </h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Rep</th>
              <th scope="col">Plan</th>
              <th scope="col" className="num">
                Payout
              </th>
              <th scope="col" className="num">
                Forfeited
              </th>
              <th scope="col">What came due</th>
            </tr>
          </thead>
          <tbody>
            {reps.map(({ plan, r }) => (
              <tr key={`${plan}-${r.rep}`}>
                <td>{r.rep}</td>
                <td>{plan}</td>
                <td className="num">{money(r.payout, currency)}</td>
                <td className="num">
                  {money(
                    r.lines.reduce((s, l) => s + l.forfeited, 0),
                    currency,
                  )}
                </td>
                <td>{r.outcomes.map((o) => o.rule).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  )
}
