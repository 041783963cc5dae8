import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'
import type { Period } from '../../types.ts'

/** Links to the rep's statements of every closed period, newest first. */
export function StatementList({ repId }: { repId: string }) {
  const periods = useQuery({ queryKey: ['periods'], queryFn: () => api.get<{ items: Period[] }>('/periods') })
  const closed = (periods.data?.items ?? []).filter((p) => p.status === 'closed').reverse()
  return (
    <section className="card" aria-labelledby="statements-title">
      <h2 id="statements-title">Statements</h2>
      {closed.length === 0 ? (
        <p className="muted">No closed period yet.</p>
      ) : (
        <ul className="row" style={{ listStyle: 'none', padding: 0 }}>
          {closed.map((p) => (
            <li key={p.key}>
              <a className="pill" href={`#/statements/${encodeURIComponent(repId)}/${p.key}`}>
                {p.key}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
