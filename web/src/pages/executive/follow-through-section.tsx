import { useQueries, useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { api } from '../../api.ts'
import { EChart, type ChartOption } from './echart.tsx'
import type { FollowThrough } from './report-types.ts'

const rate = (f: FollowThrough['groups'][number]['figures']): number | null =>
  f.rate === null || f.rate.denominator === 0 ? null : f.rate.numerator / f.rate.denominator

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(0)}%`)

/** The follow-through rate (applied / due) per closed period, for the company and per manager or team. */
export function FollowThroughSection({ periods }: { periods: readonly string[] }) {
  const [by, setBy] = useState<'manager' | 'team'>('manager')
  const names = useRepNames()
  const label = (group: string): string => (by === 'manager' ? (names.data?.get(group) ?? group) : group)
  const company = useQuery({
    queryKey: ['reports', 'follow-through', 'period'],
    queryFn: () => api.get<FollowThrough>('/reports/follow-through?by=period&trailing=12'),
  })
  const perPeriod = useQueries({
    queries: periods.map((period) => ({
      queryKey: ['reports', 'follow-through', by, period],
      queryFn: () => api.get<FollowThrough>(`/reports/follow-through?by=${by}&period=${period}`),
    })),
  })
  const loaded = perPeriod.every((q) => q.data !== undefined)
  const series = useMemo(() => {
    const byGroup = new Map<string, (number | null)[]>()
    perPeriod.forEach((q, i) => {
      for (const g of q.data?.groups ?? []) {
        const list = byGroup.get(g.group) ?? periods.map(() => null)
        list[i] = rate(g.figures)
        byGroup.set(g.group, list)
      }
    })
    const companyRates = periods.map((p) => {
      const g = company.data?.groups.find((x) => x.group === p)
      return g === undefined ? null : rate(g.figures)
    })
    return { byGroup, companyRates }
  }, [loaded, company.data, periods.join(',')])

  const option: ChartOption = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(0)}%` : '—'),
      },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: [...periods] },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${v * 100}%` } },
      series: [
        {
          name: 'Company',
          type: 'line',
          data: series.companyRates,
          lineStyle: { width: 3 },
          connectNulls: true,
        },
        ...[...series.byGroup].map(([group, data]) => ({
          id: group,
          name: label(group),
          type: 'line',
          data,
          connectNulls: true,
        })),
      ],
    }),
    [series, periods, names.data, by],
  )
  const latest = company.data?.groups.find((g) => g.group === periods[periods.length - 1])
  return (
    <section className="card" aria-labelledby="ft-title">
      <h2 id="ft-title">Follow-through over time</h2>
      <p>
        Of the incentives and consequences that came due, the share applied.
        {latest !== undefined && (
          <>
            {' '}
            In {latest.group}: <strong data-testid="ft-latest">{pct(rate(latest.figures))}</strong> (
            {latest.figures.appliedOnTime} on time, {latest.figures.appliedLate} late, {latest.figures.waived}{' '}
            waived, {latest.figures.overdue} overdue of {latest.figures.due} due).
          </>
        )}
      </p>
      <div className="row">
        <label htmlFor="ft-by">Lines per</label>
        <select id="ft-by" value={by} onChange={(e) => setBy(e.target.value as 'manager' | 'team')}>
          <option value="manager">manager</option>
          <option value="team">team</option>
        </select>
      </div>
      {company.isError && <p className="error">{company.error.message}</p>}
      {periods.length === 0 ? (
        <p className="muted">No period is closed yet.</p>
      ) : (
        <EChart option={option} label={`Follow-through rate per period, for the company and per ${by}`} />
      )}
      <details>
        <summary>The figures as a table</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{by === 'manager' ? 'Manager' : 'Team'}</th>
                {periods.map((p) => (
                  <th key={p} scope="col" className="num">
                    {p}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Company</th>
                {series.companyRates.map((v, i) => (
                  <td key={i} className="num">
                    {pct(v)}
                  </td>
                ))}
              </tr>
              {[...series.byGroup].map(([group, data]) => (
                <tr key={group}>
                  <th scope="row">{label(group)}</th>
                  {data.map((v, i) => (
                    <td key={i} className="num">
                      {pct(v)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  )
}

/** Every rep's name by id (managers are reps), read page by page. */
function useRepNames() {
  return useQuery({
    queryKey: ['reps', 'names'],
    queryFn: async () => {
      const out = new Map<string, string>()
      let cursor: string | null = null
      do {
        const page: { items: { id: string; name: string }[]; nextCursor: string | null } = await api.get(
          `/reps?limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        )
        for (const r of page.items) out.set(r.id, r.name || r.id)
        cursor = page.nextCursor
      } while (cursor !== null)
      return out
    },
    staleTime: 300_000,
  })
}
