import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { parsePlan } from '../../../../src/core/plans/parse-plan.ts'
import { primaryMetric } from '../../../../src/core/followthrough/primary-metric.ts'
import { api } from '../../api.ts'
import { money } from '../../format.ts'
import { useOrg } from '../../session.ts'
import { EChart, type ChartOption } from './echart.tsx'

interface ResultItem {
  readonly repId: string
  readonly planId: string
  readonly payoutMinor: number
  readonly result: { metrics?: Record<string, { attainment: string | null }> }
}

/** Attainment bands of 10 points, from below 10% to 200% and above. */
const BANDS = Array.from({ length: 21 }, (_, i) => (i === 20 ? '≥200%' : `${i * 10}–${i * 10 + 10}%`))

/** Each plan's primary metric (its first commission's metric), from the published text. */
function usePrimaryMetrics(planIds: readonly string[]) {
  return useQuery({
    queryKey: ['plans', 'primary', planIds.join(',')],
    queryFn: async () => {
      const out = new Map<string, string>()
      for (const id of planIds) {
        const v = await api.get<{ source: string }>(`/plans/${encodeURIComponent(id)}`)
        const plan = parsePlan(v.source, id).plan
        const metric = plan === null ? null : primaryMetric(plan)
        if (metric !== null) out.set(id, metric)
      }
      return out
    },
    enabled: planIds.length > 0,
  })
}

/** The last closed period: the attainment distribution and commission as a share of revenue. */
export function PeriodSections({ period }: { period: string }) {
  const org = useOrg()
  const results = useQuery({
    queryKey: ['periods', period, 'results'],
    queryFn: () => api.get<{ items: ResultItem[] }>(`/periods/${period}/results`),
  })
  const planIds = useMemo(
    () => [...new Set((results.data?.items ?? []).map((r) => r.planId))].sort(),
    [results.data],
  )
  const primary = usePrimaryMetrics(planIds)
  const attainments = useMemo(() => {
    const out: number[] = []
    for (const item of results.data?.items ?? []) {
      const metric = primary.data?.get(item.planId)
      const a = metric === undefined ? undefined : item.result.metrics?.[metric]?.attainment
      if (a !== undefined && a !== null) out.push(Number(a))
    }
    return out
  }, [results.data, primary.data])
  const counts = useMemo(() => {
    const c = BANDS.map(() => 0)
    for (const a of attainments) {
      const band = Math.min(20, Math.max(0, Math.floor(a * 10)))
      c[band] = (c[band] ?? 0) + 1
    }
    return c
  }, [attainments])
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: BANDS, axisLabel: { rotate: 45 } },
      yAxis: { type: 'value', minInterval: 1, name: 'reps' },
      series: [
        {
          name: 'Reps',
          type: 'bar',
          data: counts.map((n, i) => ({
            value: n,
            itemStyle: { color: i < 5 ? '#b42318' : i < 10 ? '#b54708' : '#1f6f43' },
          })),
        },
      ],
    }),
    [counts],
  )
  const hit = attainments.filter((a) => a >= 1).length
  const gateMiss = attainments.filter((a) => a < 0.5).length
  const currency = org.data?.currency ?? 'USD'
  const paidMinor = (results.data?.items ?? []).reduce((s, r) => s + BigInt(r.payoutMinor), 0n)
  return (
    <>
      <section className="card" aria-labelledby="dist-title">
        <h2 id="dist-title">Attainment in {period}</h2>
        {results.isError && <p className="error">{results.error.message}</p>}
        {attainments.length > 0 && (
          <p>
            <strong data-testid="attainment-hit">{hit}</strong> of {attainments.length} reps reached 100% of
            their main goal; {gateMiss} stayed below 50%.
          </p>
        )}
        <EChart
          option={option}
          label={`Histogram of attainment in ${period}: ${BANDS.map((b, i) => `${b}: ${counts[i]}`).join(', ')}`}
          height={260}
        />
      </section>
      <CommissionShare period={period} paidMinor={paidMinor} currency={currency} />
    </>
  )
}

/** Revenue booked in a month: deal amounts plus one month of MRR of the deals closed in it. */
function CommissionShare({
  period,
  paidMinor,
  currency,
}: {
  period: string
  paidMinor: bigint
  currency: string
}) {
  const month = /^\d{4}-\d{2}$/.test(period)
  const revenue = useQuery({
    queryKey: ['deals', 'revenue', period],
    enabled: month,
    queryFn: async () => {
      const [y, m] = period.split('-').map(Number)
      const last = new Date(Date.UTC(y ?? 1970, m ?? 1, 0)).getUTCDate()
      let total = 0n
      let cursor: string | null = null
      do {
        const page: { items: { amountMinor: number; mrrMinor: number }[]; nextCursor: string | null } =
          await api.get(
            `/deals?from=${period}-01&to=${period}-${String(last).padStart(2, '0')}&limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
          )
        for (const d of page.items) total += BigInt(d.amountMinor) + BigInt(d.mrrMinor)
        cursor = page.nextCursor
      } while (cursor !== null)
      return total
    },
  })
  const share =
    revenue.data === undefined || revenue.data === 0n
      ? null
      : Number((paidMinor * 10_000n) / revenue.data) / 100
  return (
    <section className="card" aria-labelledby="share-title">
      <h2 id="share-title">Commission as a share of revenue</h2>
      {revenue.isError && <p className="error">{revenue.error.message}</p>}
      {share !== null && revenue.data !== undefined ? (
        <p>
          In {period} the company paid <strong>{money(paidMinor, currency)}</strong> on{' '}
          <strong>{money(revenue.data, currency)}</strong> booked:{' '}
          <strong data-testid="commission-share">{share.toFixed(2)}%</strong> of revenue.
        </p>
      ) : (
        <p className="muted">{month ? 'Reading the deals…' : 'Shown for monthly periods.'}</p>
      )}
      <p className="muted">
        Revenue here is the one-time amount plus one month of recurring revenue of the deals closed in the
        period.
      </p>
    </section>
  )
}
