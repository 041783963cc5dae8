import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'
import { ProgressBar, type BarMark } from '../../components/progress-bar.tsx'
import { day, metricValue, percent } from '../../format.ts'
import type { Me } from '../../session.ts'
import type { MetricProgress, RepProgress } from '../../types.ts'
import { AcknowledgeCard } from './acknowledge-card.tsx'
import { CoachingCard } from './coaching-card.tsx'
import { StatementList } from './statement-list.tsx'

/** The marks on a metric's bar: the gate, 100% and the plan's rewards, from the stakes. */
function marksOf(m: MetricProgress): BarMark[] {
  const byAt = new Map<number, string[]>([[1, ['goal']]])
  for (const s of m.stakes) {
    const at = Number(s.at)
    byAt.set(at, [...(byAt.get(at) ?? []), s.kind === 'gate' ? `gate of ${s.source}` : s.source])
  }
  return [...byAt].map(([at, sources]) => ({ at, label: percent(at, 0), title: sources.join(', ') }))
}

function MetricCard({ m, currency }: { m: MetricProgress; currency: string }) {
  return (
    <section className="card" aria-labelledby={`metric-${m.metric}`}>
      <h2 id={`metric-${m.metric}`}>{m.metric}</h2>
      <p>
        <strong>{metricValue(m.value, m.money, currency)}</strong>
        {m.quota !== null && <> of {metricValue(m.quota, m.money, currency)}</>}
      </p>
      {m.attainment !== null ? (
        <ProgressBar
          label={`${m.metric} attainment`}
          attainment={Number(m.attainment)}
          projected={m.projectedAttainment === null ? null : Number(m.projectedAttainment)}
          marks={marksOf(m)}
        />
      ) : (
        <p className="muted">No goal for this metric.</p>
      )}
      {m.stakes.length === 0 && <p>{m.sentence}</p>}
      {m.stakes.length > 0 && (
        <ul>
          {m.stakes.map((s, i) => (
            <li key={i} className={s.kind === 'gate' && s.now ? 'bad' : undefined}>
              {s.words}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function PlanProgress({ p }: { p: RepProgress }) {
  return (
    <section aria-labelledby={`plan-${p.plan}`}>
      <h2 id={`plan-${p.plan}`}>
        {p.period} · plan {p.plan}{' '}
        <span className="muted">
          as of {day(p.asOf)}, business day {p.elapsedBusinessDays} of {p.totalBusinessDays}, ends{' '}
          {day(p.periodEnd)}
        </span>
      </h2>
      <p className="notice">
        Estimated earnings so far: <strong>{p.earnedSoFarText}</strong>{' '}
        <span className="muted">
          (computed by the plan's engine on the deals recorded so far; final at the close)
        </span>
      </p>
      <div className="grid">
        {p.metrics.map((m) => (
          <MetricCard key={m.metric} m={m} currency={p.currency} />
        ))}
      </div>
    </section>
  )
}

/** The rep's home: this period's goals, progress, pace and stakes; estimated earnings; past statements. */
export function RepHome({ me, repId }: { me: Me; repId: string | null }) {
  const rep = repId ?? me.repId
  const progress = useQuery({
    queryKey: ['progress', rep],
    queryFn: () => api.get<{ items: RepProgress[] }>(`/progress?rep=${encodeURIComponent(rep ?? '')}`),
    enabled: rep !== null,
  })
  if (rep === null) return <p>This sign-in is not bound to a rep.</p>
  const name = progress.data?.items[0]?.repName
  return (
    <>
      <h1>{repId === null ? 'My progress' : `Progress of ${name ?? rep}`}</h1>
      {repId === null && <AcknowledgeCard repId={rep} />}
      <CoachingCard repId={rep} />
      {progress.isPending && <p className="muted">Computing…</p>}
      {progress.isError && <p className="error">{progress.error.message}</p>}
      {progress.data?.items.length === 0 && <p className="muted">No plan applies to this period yet.</p>}
      {progress.data?.items.map((p) => (
        <PlanProgress key={p.plan} p={p} />
      ))}
      <StatementList repId={rep} />
    </>
  )
}
