import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'
import type { AfterMiss, UnderPerformers, Unenforced } from './report-types.ts'

const pts = (v: number | null): string =>
  v === null ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} points`
const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`)

/** Reps who missed and whose consequence was waived or is overdue (trailing 12 months). */
export function UnenforcedSection() {
  const q = useQuery({
    queryKey: ['reports', 'unenforced'],
    queryFn: () => api.get<Unenforced>('/reports/unenforced?trailing=12'),
  })
  return (
    <section className="card" aria-labelledby="unenforced-title">
      <h2 id="unenforced-title">Unenforced misses</h2>
      {q.isError && <p className="error">{q.error.message}</p>}
      {q.data?.misses.length === 0 && (
        <p className="good">Every consequence of a miss in the last 12 months was carried out.</p>
      )}
      {q.data !== undefined && q.data.misses.length > 0 && (
        <>
          <p>
            <strong data-testid="unenforced-count">{q.data.misses.length}</strong> consequence
            {q.data.misses.length === 1 ? ' was' : 's were'} waived or left overdue in the last 12 months.
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col">Rep</th>
                  <th scope="col">Team</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Status</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {q.data.misses.map((m) => (
                  <tr key={`${m.period}-${m.rep}-${m.rule}`}>
                    <td>{m.period}</td>
                    <td>{m.repName || m.rep}</td>
                    <td>{m.team}</td>
                    <td>
                      {m.rule} <span className="muted">({m.effects.join(', ').replaceAll('_', ' ')})</span>
                    </td>
                    <td>
                      <span className={`pill ${m.status === 'overdue' ? 'bad' : ''}`}>{m.status}</span>
                      {m.status === 'overdue' && m.dueOn !== null && <> since {m.dueOn}</>}
                    </td>
                    <td>
                      {m.status === 'waived'
                        ? `${m.waiveReason ?? ''} (by ${m.waivedBy ?? '?'}, ${m.waivedOn ?? ''})`
                        : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  )
}

/** After an unenforced miss: the other reps' next-period attainment, against after enforced ones, with the interval. */
export function AfterMissSection() {
  const q = useQuery({
    queryKey: ['reports', 'after-miss'],
    queryFn: () => api.get<AfterMiss>('/reports/after-miss'),
  })
  return (
    <section className="card" aria-labelledby="after-miss-title">
      <h2 id="after-miss-title">What happens after a miss goes unenforced</h2>
      <p className="muted">
        Per team: the other reps&apos; attainment in the period after a miss whose consequence was waived or
        overdue, compared with after periods where every consequence was applied. A 95% confidence interval
        that contains zero means the data cannot tell a difference.
      </p>
      {q.isError && <p className="error">{q.error.message}</p>}
      {q.data?.teams.length === 0 && <p className="muted">Not enough data yet.</p>}
      {q.data !== undefined && q.data.teams.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col" className="num">
                  After unenforced
                </th>
                <th scope="col" className="num">
                  After enforced
                </th>
                <th scope="col" className="num">
                  Difference
                </th>
                <th scope="col">95% interval</th>
                <th scope="col">In plain words</th>
              </tr>
            </thead>
            <tbody>
              {q.data.teams.map((t) => (
                <tr key={t.team}>
                  <th scope="row">{t.team}</th>
                  <td className="num">
                    {pct(t.interval?.meanA ?? null)}{' '}
                    <span className="muted">(n={t.unenforced.attainments.length})</span>
                  </td>
                  <td className="num">
                    {pct(t.interval?.meanB ?? null)}{' '}
                    <span className="muted">(n={t.enforced.attainments.length})</span>
                  </td>
                  <td className="num">{pts(t.interval?.difference ?? null)}</td>
                  <td>
                    {t.interval === null || t.interval.low === null || t.interval.high === null
                      ? 'not enough data yet'
                      : `${pts(t.interval.low)} to ${pts(t.interval.high)}`}
                  </td>
                  <td>{t.sentence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

const REASON: Record<string, string> = {
  bottom_quartile: 'bottom quartile of the plan',
  far_below_peers: 'far below peers twice in a row',
}

/** Reps under their peers, with the evidence per period and what their plan already says will happen. */
export function UnderPerformersSection() {
  const q = useQuery({
    queryKey: ['reports', 'under-performers'],
    queryFn: () => api.get<UnderPerformers>('/reports/under-performers'),
  })
  const o = q.data?.options
  return (
    <section className="card" aria-labelledby="under-title">
      <h2 id="under-title">Under-performers relative to peers</h2>
      {o !== undefined && (
        <p className="muted">
          In the bottom quartile of their plan&apos;s reps in at least {o.k} of the last {o.n} closed periods,
          or more than {o.sd} standard deviations below the peer mean {o.inRow} periods in a row.
        </p>
      )}
      {q.isError && <p className="error">{q.error.message}</p>}
      {q.data?.reps.length === 0 && <p className="good">Nobody is under their peers by these rules.</p>}
      {q.data?.reps.map((r) => (
        <article key={`${r.plan}-${r.rep}`} className="under-performer">
          <h3>
            {r.repName || r.rep}{' '}
            <span className="muted">
              · {r.team} · {r.plan}
            </span>
          </h3>
          <p>{r.reasons.map((x) => REASON[x] ?? x).join('; ')}</p>
          <table>
            <caption className="visually-hidden">Evidence for {r.repName || r.rep}</caption>
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col" className="num">
                  Attainment
                </th>
                <th scope="col" className="num">
                  Peer mean
                </th>
                <th scope="col" className="num">
                  Reps below
                </th>
                <th scope="col">Flag</th>
              </tr>
            </thead>
            <tbody>
              {r.evidence.map((e) => (
                <tr key={e.period}>
                  <td>{e.period}</td>
                  <td className="num">{pct(e.attainment)}</td>
                  <td className="num">{pct(e.peerMean)}</td>
                  <td className="num">
                    {e.below} of {e.reps}
                  </td>
                  <td>
                    {[e.bottomQuartile ? 'bottom quartile' : '', e.farBelow ? 'far below' : '']
                      .filter(Boolean)
                      .join(', ') || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.planSays.length > 0 && (
            <p>
              The plan already says:{' '}
              {r.planSays.map((s) => `${s.rule} (when ${s.when}: ${s.then})`).join('; ')}
            </p>
          )}
        </article>
      ))}
    </section>
  )
}
