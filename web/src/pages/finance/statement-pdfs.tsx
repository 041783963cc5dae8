import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api.ts'
import { money } from '../../format.ts'
import { useOrg } from '../../session.ts'

interface ResultRow {
  readonly repId: string
  readonly payoutMinor: number
}

/** A closed period's statements as PDFs, one link per rep, loaded when opened. */
export function StatementPdfs({ period }: { period: string }) {
  const [open, setOpen] = useState(false)
  return (
    <details onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Statements (PDF)</summary>
      {open && <StatementLinks period={period} />}
    </details>
  )
}

function StatementLinks({ period }: { period: string }) {
  const org = useOrg()
  const results = useQuery({
    queryKey: ['results', period],
    queryFn: () => api.get<{ items: ResultRow[] }>(`/periods/${period}/results`),
  })
  if (results.isPending) return <p className="muted">Loading…</p>
  if (results.isError) return <p className="error">{results.error.message}</p>
  const reps = [...new Set(results.data.items.map((r) => r.repId))]
  const payout = (rep: string) =>
    results.data.items.filter((r) => r.repId === rep).reduce((sum, r) => sum + r.payoutMinor, 0)
  return (
    <ul>
      {reps.map((rep) => (
        <li key={rep}>
          <a
            href={`/api/statements/${encodeURIComponent(rep)}/${period}/statement.pdf`}
            download={`statement-${rep}-${period}.pdf`}
          >
            {rep}
          </a>{' '}
          <span className="muted">{money(payout(rep), org.data?.currency ?? 'USD')}</span>
        </li>
      ))}
    </ul>
  )
}
