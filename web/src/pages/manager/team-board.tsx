import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { api } from '../../api.ts'
import { day, percent } from '../../format.ts'
import type { RepProgress } from '../../types.ts'

/** Flags of a rep this period, from what the plan says is at stake. */
function flagsOf(p: RepProgress): { text: string; tone: 'bad' | 'warn' | 'good' }[] {
  const flags: { text: string; tone: 'bad' | 'warn' | 'good' }[] = []
  for (const m of p.metrics) {
    const projected = m.projectedAttainment === null ? null : Number(m.projectedAttainment)
    for (const s of m.stakes) {
      if (s.kind !== 'gate') continue
      if (s.now && (projected === null || projected < Number(s.at)))
        flags.push({ text: `at risk: ${m.metric} gate ${percent(s.at, 0)}`, tone: 'bad' })
      else if (s.now) flags.push({ text: `below ${m.metric} gate, on pace to pass`, tone: 'warn' })
    }
  }
  const main = p.metrics.find((m) => m.attainment !== null)
  if (main !== undefined && Number(main.projectedAttainment ?? 0) >= 1.2)
    flags.push({ text: `on pace for ${percent(main.projectedAttainment, 0)}`, tone: 'good' })
  return flags
}

/** True from the frame after `ready` became true was painted (a timeout queued in the frame runs after it). */
function usePaintedAfter(ready: boolean): boolean {
  const [painted, setPainted] = useState(false)
  useEffect(() => {
    if (!ready || painted) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setPainted(true), 0)
    })
    return () => {
      cancelAnimationFrame(frame)
      clearTimeout(timer)
    }
  }, [ready, painted])
  return painted
}

/** The manager's team board: each rep's attainment and pace per metric in the open period, with flags. */
export function TeamBoard() {
  const progress = useQuery({
    queryKey: ['progress', 'team'],
    queryFn: () => api.get<{ items: RepProgress[] }>('/progress'),
  })
  // The flags of coaching and under-performance are asked once the board is painted: the
  // under-performers report computes the whole organization, and the board waits for nobody.
  const painted = usePaintedAfter(progress.isSuccess)
  const coaching = useQuery({
    queryKey: ['coaching', 'open'],
    queryFn: () => api.get<{ items: { repId: string; program: string }[] }>('/coaching?state=open'),
    enabled: painted,
  })
  const under = useQuery({
    queryKey: ['reports', 'under-performers'],
    queryFn: () => api.get<{ reps: { rep: string }[] }>('/reports/under-performers'),
    enabled: painted,
  })
  const onCoaching = new Map((coaching.data?.items ?? []).map((c) => [c.repId, c.program]))
  const underPerformers = new Set((under.data?.reps ?? []).map((r) => r.rep))
  const items = progress.data?.items ?? []
  const metricIds = [
    ...new Set(items.flatMap((p) => p.metrics.filter((m) => m.quota !== null).map((m) => m.metric))),
  ]
  const first = items[0]
  return (
    <>
      <h1>Team board</h1>
      {first !== undefined && (
        <p className="muted">
          {first.period}, as of {day(first.asOf)}: business day {first.elapsedBusinessDays} of{' '}
          {first.totalBusinessDays}
        </p>
      )}
      {progress.isPending && <p className="muted">Computing…</p>}
      {progress.isError && <p className="error">{progress.error.message}</p>}
      {items.length > 0 && (
        <div className="card" style={{ overflowX: 'auto' }}>
          <table>
            <caption className="muted" style={{ textAlign: 'left' }}>
              Attainment now → on pace for at period end
            </caption>
            <thead>
              <tr>
                <th scope="col">Rep</th>
                <th scope="col">Plan</th>
                {metricIds.map((id) => (
                  <th key={id} scope="col" className="num">
                    {id}
                  </th>
                ))}
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={`${p.rep}-${p.plan}`}>
                  <th scope="row">
                    <a href={`#/reps/${encodeURIComponent(p.rep)}`}>{p.repName || p.rep}</a>
                  </th>
                  <td>{p.plan}</td>
                  {metricIds.map((id) => {
                    const m = p.metrics.find((x) => x.metric === id)
                    return (
                      <td key={id} className="num">
                        {m === undefined || m.attainment === null
                          ? '—'
                          : `${percent(m.attainment, 0)} → ${percent(m.projectedAttainment, 0)}`}
                      </td>
                    )
                  })}
                  <td>
                    {onCoaching.has(p.rep) && (
                      <span className="pill warn" style={{ marginRight: 4 }}>
                        on coaching: {onCoaching.get(p.rep)}
                      </span>
                    )}
                    {underPerformers.has(p.rep) && (
                      <span className="pill bad" style={{ marginRight: 4 }}>
                        under-performer among peers
                      </span>
                    )}
                    {flagsOf(p).map((f, i) => (
                      <span key={i} className={`pill ${f.tone}`} style={{ marginRight: 4 }}>
                        {f.text}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
