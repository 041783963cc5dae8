import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api.ts'
import { metricValue } from '../../format.ts'
import { useOrg, type Me } from '../../session.ts'

interface GridRow {
  readonly repId: string
  readonly name: string
  readonly team: string
  readonly planId: string
  readonly kind: 'month' | 'quarter' | 'year'
  readonly money: boolean
  readonly planDefault: string | null
  readonly cells: Record<string, string>
}

interface Grid {
  readonly year: number
  readonly metric: string | null
  readonly metrics: string[]
  readonly periods: Record<string, string[]>
  readonly closed: string[]
  readonly rows: GridRow[]
}

/** The rep's column stays in view while the periods scroll. */
const STICKY = { position: 'sticky', left: 0, background: 'var(--bg)', zIndex: 1 } as const

const KIND_LABEL: Record<string, string> = { month: 'Monthly plans', quarter: 'Quarterly plans', year: 'Yearly plans' }

interface CellProps {
  readonly row: GridRow
  readonly period: string
  readonly metric: string
  readonly closed: boolean
  readonly onSaved: (message: string, ok: boolean) => void
}

/** One editable cell: saved when it loses focus (or on Enter); emptied, the plan default applies. */
function QuotaCell({ row, period, metric, closed, onSaved }: CellProps) {
  const stored = row.cells[period] ?? ''
  const [text, setText] = useState(stored)
  const [busy, setBusy] = useState(false)
  const save = async () => {
    const value = text.trim()
    if (value === stored) return
    setBusy(true)
    const path = `/quotas/${encodeURIComponent(row.repId)}/${period}/${encodeURIComponent(metric)}`
    try {
      if (value === '') await api.delete(path)
      else await api.put(path, { amount: value })
      onSaved(
        value === ''
          ? `${row.name}, ${period}: back to the plan default.`
          : `${row.name}, ${period}: saved ${value}.`,
        true,
      )
    } catch (e) {
      setText(stored)
      onSaved(`${row.name}, ${period}: ${(e as Error).message}`, false)
    } finally {
      setBusy(false)
    }
  }
  return (
    <input
      aria-label={`${metric} quota of ${row.name} in ${period}`}
      inputMode="decimal"
      size={8}
      value={text}
      placeholder={row.planDefault ?? ''}
      disabled={closed || busy}
      title={closed ? `${period} is closed: its quotas are final` : undefined}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => void save()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur()
      }}
      style={{ width: '6.5rem', padding: '4px 6px', textAlign: 'right' }}
    />
  )
}

/** Quota overrides of a year, rep by period, for one metric; owners and admins edit them in place. */
export function QuotasPage({ me }: { me: Me }) {
  const queries = useQueryClient()
  const org = useOrg()
  const currency = org.data?.currency ?? 'USD'
  const [year, setYear] = useState(new Date().getFullYear())
  const [metric, setMetric] = useState('')
  const [status, setStatus] = useState<{ text: string; ok: boolean } | null>(null)
  const grid = useQuery({
    queryKey: ['quota-grid', year, metric],
    queryFn: () =>
      api.get<Grid>(`/quotas/grid?year=${year}${metric === '' ? '' : `&metric=${encodeURIComponent(metric)}`}`),
  })
  const editable = me.role === 'owner' || me.role === 'admin'
  const chosen = grid.data?.metric ?? ''
  const closed = new Set(grid.data?.closed ?? [])
  const saved = (text: string, ok: boolean) => {
    setStatus({ text, ok })
    void queries.invalidateQueries({ queryKey: ['quota-grid'] })
  }
  const years = [year - 1, year, year + 1]
  return (
    <>
      <h1>Quotas</h1>
      <p className="muted">
        An empty cell uses the plan&apos;s default quota (shown in grey, before ramp and proration).
        {editable ? ' Type an amount and leave the cell to save it; empty it to go back to the default.' : ''}{' '}
        Closed periods cannot change.
      </p>
      <div className="row">
        <div>
          <label htmlFor="quota-year">Year</label>
          <select id="quota-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="quota-metric">Metric</label>
          <select id="quota-metric" value={chosen} onChange={(e) => setMetric(e.target.value)}>
            {(grid.data?.metrics ?? []).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div role="status">{status !== null && <p className={status.ok ? 'notice' : 'error'}>{status.text}</p>}</div>
      {grid.isError && <p className="error">{grid.error.message}</p>}
      {grid.data !== undefined && grid.data.rows.length === 0 && <p>No rep measures this metric.</p>}
      {Object.entries(grid.data?.periods ?? {}).map(([kind, periods]) => {
        const rows = (grid.data?.rows ?? []).filter((r) => r.kind === kind)
        return (
          <section key={kind} aria-label={KIND_LABEL[kind] ?? kind}>
            {Object.keys(grid.data?.periods ?? {}).length > 1 && <h2>{KIND_LABEL[kind] ?? kind}</h2>}
            <div className="table-wrap" tabIndex={0} role="region" aria-label={`${KIND_LABEL[kind] ?? kind}: quota table`}>
              <table>
                <caption className="visually-hidden">
                  {chosen} quotas of {year}, rep by period
                </caption>
                <thead>
                  <tr>
                    <th scope="col" style={STICKY}>
                      Rep
                    </th>
                    <th scope="col">Default</th>
                    {periods.map((p) => (
                      <th key={p} scope="col" className="num">
                        {p}
                        {closed.has(p) ? ' (closed)' : ''}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.repId}>
                      <th scope="row" style={STICKY}>
                        {r.name} <span className="muted">({r.team})</span>
                      </th>
                      <td className="num muted">
                        {r.planDefault === null ? '—' : metricValue(r.planDefault, r.money, currency)}
                      </td>
                      {periods.map((p) => (
                        <td key={p} className="num">
                          {editable ? (
                            <QuotaCell
                              key={`${r.repId}-${p}-${chosen}-${r.cells[p] ?? ''}`}
                              row={r}
                              period={p}
                              metric={chosen}
                              closed={closed.has(p)}
                              onSaved={saved}
                            />
                          ) : r.cells[p] === undefined ? (
                            <span className="muted">
                              {r.planDefault === null ? '' : metricValue(r.planDefault, r.money, currency)}
                            </span>
                          ) : (
                            metricValue(r.cells[p] ?? '0', r.money, currency)
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )
      })}
    </>
  )
}
