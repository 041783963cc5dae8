import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { money } from '../../format.ts'

interface LedgerLine {
  readonly seq: number
  readonly kind: string
  readonly rule: string | null
  readonly deal: string | null
  readonly amountMinor: number
}

interface Dispute {
  readonly id: number
  readonly ledgerSeq: number
  readonly message: string
  readonly state: 'open' | 'accepted' | 'rejected'
  readonly reason: string | null
  readonly adjustment: { amountMinor: number; period: string } | null
}

interface Lines {
  readonly acknowledged: boolean | null
  readonly planId: string | null
  readonly planVersion: number | null
  readonly disputes: readonly Dispute[]
  readonly ledgerLines: readonly LedgerLine[]
}

/** The statement's ledger lines, each with a dispute button for the rep, and the disputes with their answers. */
export function StatementDisputes({
  repId,
  period,
  currency,
  canDispute,
}: {
  repId: string
  period: string
  currency: string
  canDispute: boolean
}) {
  const queries = useQueryClient()
  const lines = useQuery({
    queryKey: ['statement-lines', repId, period],
    queryFn: () => api.get<Lines>(`/statements/${encodeURIComponent(repId)}/${period}/lines`),
  })
  const [open, setOpen] = useState<number | null>(null)
  const [message, setMessage] = useState('')
  const [status, setStatus] = useState<string | null>(null)
  if (lines.data === undefined) return null
  const d = lines.data
  const disputeOf = (seq: number) => d.disputes.find((x) => x.ledgerSeq === seq)
  const submit = async (event: FormEvent, seq: number) => {
    event.preventDefault()
    try {
      await api.post('/disputes', { ledgerSeq: seq, message })
      setStatus('Your dispute was sent to your manager.')
      setOpen(null)
      setMessage('')
      await queries.invalidateQueries({ queryKey: ['statement-lines', repId, period] })
    } catch (e) {
      setStatus((e as Error).message)
    }
  }
  return (
    <section className="card" aria-labelledby="ledger-lines-title">
      <h2 id="ledger-lines-title">Ledger lines and disputes</h2>
      {d.acknowledged === false && (
        <p className="warn">
          The plan version in force for {period} ({d.planId} v{d.planVersion}) had not been acknowledged.
        </p>
      )}
      {status !== null && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Entry</th>
            <th scope="col">Kind</th>
            <th scope="col">From</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Dispute</th>
          </tr>
        </thead>
        <tbody>
          {d.ledgerLines.map((line) => {
            const dispute = disputeOf(line.seq)
            return (
              <tr key={line.seq}>
                <td>#{line.seq}</td>
                <td>{line.kind}</td>
                <td>
                  {line.rule ?? ''}
                  {line.deal === null ? '' : ` (deal ${line.deal})`}
                </td>
                <td className="num">{money(line.amountMinor, currency)}</td>
                <td>
                  {dispute !== undefined ? (
                    <span>
                      {dispute.state === 'open'
                        ? `Disputed: “${dispute.message}” (awaiting an answer)`
                        : dispute.state === 'accepted'
                          ? `Accepted: ${money(dispute.adjustment?.amountMinor ?? 0, currency)} booked in ${dispute.adjustment?.period ?? ''}${dispute.reason === null ? '' : ` (${dispute.reason})`}`
                          : `Rejected: ${dispute.reason ?? ''}`}
                    </span>
                  ) : canDispute ? (
                    open === line.seq ? (
                      <form
                        onSubmit={(e) => void submit(e, line.seq)}
                        aria-label={`Dispute entry ${line.seq}`}
                      >
                        <label htmlFor={`dispute-${line.seq}`}>What is wrong with this line?</label>
                        <input
                          id={`dispute-${line.seq}`}
                          required
                          value={message}
                          onChange={(e) => setMessage(e.target.value)}
                        />
                        <button type="submit">Send</button>
                      </form>
                    ) : (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => setOpen(line.seq)}
                        aria-label={`Dispute entry ${line.seq}`}
                      >
                        Dispute
                      </button>
                    )
                  ) : null}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}
