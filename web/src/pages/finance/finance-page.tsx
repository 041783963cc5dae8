import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api.ts'
import type { Period } from '../../types.ts'
import { StatementPdfs } from './statement-pdfs.tsx'

interface Verification {
  readonly ok: boolean
  readonly entries: number
  readonly head: string | null
  readonly brokenAt: number | null
  readonly reason: string | null
}

interface AuditEntry {
  readonly id: number | string
  readonly at: string
  readonly actor: string
  readonly action: string
  readonly subject: string
}

/** Finance: approve a closed period's payouts, export payroll, verify the ledger, read the audit log. */
export function FinancePage({ canApprove }: { canApprove: boolean }) {
  const queries = useQueryClient()
  const periods = useQuery({ queryKey: ['periods'], queryFn: () => api.get<{ items: Period[] }>('/periods') })
  const verify = useQuery({
    queryKey: ['ledger-verify'],
    queryFn: () => api.get<Verification>('/ledger/verify'),
  })
  const audit = useQuery({
    queryKey: ['audit'],
    queryFn: () => api.get<{ items: AuditEntry[] }>('/audit?limit=50'),
  })
  const [message, setMessage] = useState<string | null>(null)
  const closed = (periods.data?.items ?? []).filter((p) => p.status === 'closed').reverse()
  return (
    <>
      <h1>Finance</h1>
      <section className="card" aria-labelledby="ledger-title">
        <h2 id="ledger-title">Ledger</h2>
        {verify.isPending && <p className="muted">Verifying the hash chain…</p>}
        {verify.isError && <p className="error">{verify.error.message}</p>}
        {verify.data !== undefined && (
          <p className={verify.data.ok ? 'good' : 'bad'} role="status">
            {verify.data.ok
              ? `The hash chain of ${verify.data.entries} entries verifies: no entry was changed or removed (head ${verify.data.head?.slice(0, 16) ?? 'none'}).`
              : `The chain is broken at entry #${verify.data.brokenAt ?? '?'}: ${verify.data.reason ?? ''}`}
          </p>
        )}
      </section>
      <section className="card" aria-labelledby="payouts-title">
        <h2 id="payouts-title">Closed periods</h2>
        {message !== null && <p role="status">{message}</p>}
        <table>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Closed</th>
              <th scope="col">Payroll</th>
              <th scope="col">Approval</th>
            </tr>
          </thead>
          <tbody>
            {closed.map((p) => (
              <tr key={p.key}>
                <td>{p.key}</td>
                <td>{p.closedAt === null ? '' : new Date(p.closedAt).toLocaleString()}</td>
                <td>
                  <a href={`/api/periods/${p.key}/payroll.csv`} download={`payroll-${p.key}.csv`}>
                    payroll-{p.key}.csv
                  </a>{' '}
                  ·{' '}
                  <a
                    href={`/api/periods/${p.key}/payroll.csv?lines=true`}
                    download={`payroll-lines-${p.key}.csv`}
                  >
                    lines
                  </a>
                  <StatementPdfs period={p.key} />
                </td>
                <td>
                  {canApprove && (
                    <button
                      type="button"
                      className="secondary"
                      onClick={async () => {
                        try {
                          await api.post(`/periods/${p.key}/payouts/approve`)
                          setMessage(`Payouts of ${p.key} approved.`)
                          await queries.invalidateQueries({ queryKey: ['audit'] })
                        } catch (e) {
                          setMessage((e as Error).message)
                        }
                      }}
                    >
                      Approve {p.key}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit log</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Subject</th>
            </tr>
          </thead>
          <tbody>
            {(audit.data?.items ?? []).map((a) => (
              <tr key={String(a.id)}>
                <td>{new Date(a.at).toLocaleString()}</td>
                <td>{a.actor}</td>
                <td>{a.action}</td>
                <td>{a.subject}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  )
}
