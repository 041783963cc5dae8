import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'
import { money, metricValue, percent } from '../../format.ts'
import { useOrg, type Me } from '../../session.ts'
import { StatementDisputes } from './statement-disputes.tsx'
import type { Statement } from '../../types.ts'

/** One closed period's statement: metrics, every line, outcomes, payout, balance, year to date. */
export function StatementPage({ repId, period, me }: { repId: string; period: string; me: Me }) {
  const statement = useQuery({
    queryKey: ['statement', repId, period],
    queryFn: () => api.get<Statement>(`/statements/${encodeURIComponent(repId)}/${period}`),
  })
  const org = useOrg()
  const currency = org.data?.currency ?? 'USD'
  if (statement.isPending) return <p className="muted">Loading…</p>
  if (statement.isError) return <p className="error">{statement.error.message}</p>
  const s = statement.data
  const r = s.result
  return (
    <>
      <h1>
        Statement {s.period} · {s.repId}
      </h1>
      <p className="muted">
        Closed {new Date(s.closedAt).toLocaleString()} · ledger head #{s.head.seq}{' '}
        <code>{s.head.hash.slice(0, 16)}</code> ·{' '}
        <a
          href={`/api/statements/${encodeURIComponent(s.repId)}/${s.period}/statement.pdf`}
          download={`statement-${s.repId}-${s.period}.pdf`}
        >
          Download PDF
        </a>
      </p>
      {r === null ? (
        <p>No result for this rep in this period.</p>
      ) : (
        <>
          <section className="card" aria-labelledby="metrics-title">
            <h2 id="metrics-title">Metrics</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col" className="num">
                    Goal
                  </th>
                  <th scope="col" className="num">
                    Attainment
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(r.metrics).map(([id, m]) => {
                  const isMoney = s.moneyMetrics.includes(id)
                  const show = (v: number) => (isMoney ? money(v, currency) : metricValue(v, false, currency))
                  return (
                    <tr key={id}>
                      <td>{id}</td>
                      <td className="num">{show(m.value)}</td>
                      <td className="num">{m.quota === null ? '—' : show(m.quota)}</td>
                      <td className="num">{percent(m.attainment)}</td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </section>
          <section className="card" aria-labelledby="lines-title">
            <h2 id="lines-title">Lines</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Kind</th>
                  <th scope="col">From</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col" className="num">
                    Forfeited
                  </th>
                  <th scope="col" className="num">
                    Capped
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.lines.map((line, i) => (
                  <tr key={i} data-line={i}>
                    <td>{i + 1}</td>
                    <td>{line.kind}</td>
                    <td>
                      {line.rule ?? ''}
                      {line.deal === undefined ? '' : ` (deal ${line.deal})`}
                    </td>
                    <td className="num">{money(line.amount, currency)}</td>
                    <td className={`num ${line.forfeited > 0 ? 'bad' : ''}`}>
                      {money(line.forfeited, currency)}
                    </td>
                    <td className="num">{money(line.capped, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              Payout <strong>{money(r.payout, currency)}</strong> · balance owed {money(r.balance, currency)}{' '}
              · year to date {money(s.yearToDateMinor, currency)}
            </p>
          </section>
          <StatementDisputes
            repId={s.repId}
            period={s.period}
            currency={currency}
            canDispute={me.role === 'rep' && me.repId === s.repId}
          />
          {r.outcomes.length > 0 && (
            <section className="card" aria-labelledby="outcomes-title">
              <h2 id="outcomes-title">What came due</h2>
              <ul>
                {r.outcomes.map((o, i) => (
                  <li key={i}>
                    <strong>{o.rule}</strong>: {Object.keys(o.effects).join(', ')}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </>
  )
}
