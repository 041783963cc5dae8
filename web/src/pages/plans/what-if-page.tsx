import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api.ts'
import { money } from '../../format.ts'
import { PlanEditor } from '../plan-editor.tsx'

interface PlanListing {
  readonly id: string
  readonly name: string
  readonly latestVersion: number
  readonly repCount: number
}

interface PlanVersion {
  readonly planId: string
  readonly version: number
  readonly format: 'yaml' | 'json'
  readonly source: string
}

interface WhatIfRep {
  readonly repId: string
  readonly name: string
  readonly actualMinor: number
  readonly whatIfMinor: number
  readonly differenceMinor: number
  readonly lines: readonly { kind: string; rule: string | null; actualMinor: number; whatIfMinor: number }[]
  readonly periods: readonly {
    period: string
    actualMinor: number
    whatIfMinor: number
    actualRules: readonly string[]
    whatIfRules: readonly string[]
  }[]
}

interface WhatIfWindow {
  readonly planId: string
  readonly periods: readonly string[]
  readonly reps: number
}

/** Rows of the per-rep table shown at first, and added by each "Show more". */
const PAGE_ROWS = 50

interface WhatIfAnswer {
  readonly issues: readonly { line: number; column: number; message: string }[]
  readonly result: {
    readonly planId: string
    readonly replaces: string
    readonly currency: string
    readonly periods: readonly string[]
    readonly reps: readonly WhatIfRep[]
    readonly totals: { actualMinor: number; whatIfMinor: number; differenceMinor: number }
    readonly rules: readonly {
      rule: string
      effects: readonly string[]
      kind: 'incentive' | 'consequence' | 'both'
      actual: number
      whatIf: number
    }[]
  } | null
}

/** The what-if: a draft of a plan run over the last 12 closed months, next to what was actually paid. */
export function WhatIfPage() {
  const [picked, setPicked] = useState<string | null>(null)
  const list = useQuery({ queryKey: ['plans'], queryFn: () => api.get<{ items: PlanListing[] }>('/plans') })
  const chosen = picked ?? list.data?.items[0]?.id ?? null
  const detail = useQuery({
    queryKey: ['plans', chosen, 'latest'],
    queryFn: () => api.get<PlanVersion>(`/plans/${encodeURIComponent(chosen ?? '')}`),
    enabled: chosen !== null,
  })
  // Asked as soon as a plan is chosen: the window it will run over, and the server reads the
  // window's records meanwhile, so that the run after editing finds them ready.
  const prepared = useQuery({
    queryKey: ['what-if', 'window', chosen],
    queryFn: () =>
      api.get<WhatIfWindow>(`/what-if/window?plan=${encodeURIComponent(chosen ?? '')}&months=12`),
    enabled: chosen !== null,
    staleTime: 60_000,
  })
  return (
    <>
      <h1>What if</h1>
      <p className="muted">
        Change a plan and see what it would have paid over the last 12 closed months, and which incentives and
        consequences would have come due, next to what actually happened. Nothing is stored.
      </p>
      {list.isError && <p className="error">{list.error.message}</p>}
      <div className="row">
        <label htmlFor="what-if-plan">Start from the plan</label>
        <select id="what-if-plan" value={chosen ?? ''} onChange={(e) => setPicked(e.target.value)}>
          {list.data?.items.map((plan) => (
            <option key={plan.id} value={plan.id}>
              {plan.name || plan.id} · v{plan.latestVersion} · {plan.repCount} reps
            </option>
          ))}
        </select>
      </div>
      {chosen !== null && prepared.isPending && (
        <p className="muted" role="status">
          Reading the last 12 closed months of {chosen}…
        </p>
      )}
      {prepared.isError && <p className="error">{prepared.error.message}</p>}
      {prepared.data !== undefined && (
        <p className="muted" data-testid="what-if-window">
          {prepared.data.periods.length === 0
            ? 'No period of this plan is closed yet: a what-if compares with closed periods.'
            : `Ready to run over ${prepared.data.periods[0]} to ${prepared.data.periods[prepared.data.periods.length - 1]} ` +
              `(${prepared.data.periods.length} closed period${prepared.data.periods.length === 1 ? '' : 's'}) ` +
              `for the ${prepared.data.reps} rep${prepared.data.reps === 1 ? '' : 's'} on ${prepared.data.planId}.`}
        </p>
      )}
      {detail.isError && <p className="error">{detail.error.message}</p>}
      {detail.data !== undefined && (
        <Draft
          key={`${detail.data.planId}-${detail.data.version}`}
          planId={detail.data.planId}
          source={detail.data.source}
          file={`${detail.data.planId}.${detail.data.format}`}
        />
      )}
    </>
  )
}

function Draft({ planId, source, file }: { planId: string; source: string; file: string }) {
  const [text, setText] = useState(source)
  const run = useMutation({
    mutationFn: () =>
      api.post<WhatIfAnswer>('/what-if', { source: text, file, months: 12, replaces: planId }),
  })
  return (
    <>
      <PlanEditor initialText={source} fileName={file} onChange={setText} />
      <div className="row">
        <button type="button" disabled={run.isPending} onClick={() => run.mutate()}>
          {run.isPending ? 'Running…' : 'Run the what-if'}
        </button>
        {run.isError && (
          <span className="error" role="alert">
            {run.error.message}
          </span>
        )}
      </div>
      {run.data !== undefined && <Answer answer={run.data} />}
    </>
  )
}

function Answer({ answer }: { answer: WhatIfAnswer }) {
  const [rows, setRows] = useState(PAGE_ROWS)
  const r = answer.result
  if (r === null) {
    return (
      <p className="error" role="alert">
        The draft does not check: {answer.issues.length} problem{answer.issues.length === 1 ? '' : 's'} (see
        above).
      </p>
    )
  }
  const m = (minor: number) => money(minor, r.currency, undefined)
  const signed = (minor: number) => (minor > 0 ? `+${m(minor)}` : m(minor))
  // The largest differences first; a page of rows at a time (a thousand rows take long to draw).
  const reps = [...r.reps].sort(
    (a, b) =>
      Math.abs(b.differenceMinor) - Math.abs(a.differenceMinor) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )
  const shown = reps.slice(0, rows)
  const first = r.periods[0] ?? ''
  const last = r.periods[r.periods.length - 1] ?? ''
  return (
    <section aria-labelledby="what-if-result" className="what-if">
      <h2 id="what-if-result">
        {r.planId === r.replaces ? r.planId : `${r.planId} in place of ${r.replaces}`}, {first} to {last}
      </h2>
      <dl className="what-if-totals" aria-label="Totals">
        <div>
          <dt>Actually paid</dt>
          <dd data-testid="total-actual">{m(r.totals.actualMinor)}</dd>
        </div>
        <div>
          <dt>Would have paid</dt>
          <dd data-testid="total-what-if">{m(r.totals.whatIfMinor)}</dd>
        </div>
        <div>
          <dt>Difference</dt>
          <dd data-testid="total-difference" className={r.totals.differenceMinor < 0 ? 'bad' : 'good'}>
            {signed(r.totals.differenceMinor)}
          </dd>
        </div>
      </dl>
      <p className="muted">
        Over {r.periods.length} closed period{r.periods.length === 1 ? '' : 's'}. The draft starts with empty
        balances and streaks at {first}; actual payouts also include late-data adjustments.
      </p>

      <h3>Per rep</h3>
      <div className="table-wrap">
        <table>
          <caption className="muted" style={{ textAlign: 'left' }}>
            {reps.length} rep{reps.length === 1 ? '' : 's'}, the largest differences first
            {shown.length < reps.length ? `; the first ${shown.length} shown` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Rep</th>
              <th scope="col" className="num">
                Actually paid
              </th>
              <th scope="col" className="num">
                Would have paid
              </th>
              <th scope="col" className="num">
                Difference
              </th>
              <th scope="col">Lines that change</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((rep) => (
              <tr key={rep.repId}>
                <th scope="row">{rep.name}</th>
                <td className="num">{m(rep.actualMinor)}</td>
                <td className="num">{m(rep.whatIfMinor)}</td>
                <td className="num">{signed(rep.differenceMinor)}</td>
                <td>
                  {rep.lines
                    .filter((l) => l.actualMinor !== l.whatIfMinor)
                    .map((l) => `${l.rule ?? l.kind}: ${m(l.actualMinor)} → ${m(l.whatIfMinor)}`)
                    .join('; ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="num">{m(r.totals.actualMinor)}</td>
              <td className="num">{m(r.totals.whatIfMinor)}</td>
              <td className="num">{signed(r.totals.differenceMinor)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      {shown.length < reps.length && (
        <p className="row">
          <button type="button" className="secondary" onClick={() => setRows(rows + PAGE_ROWS)}>
            Show {Math.min(PAGE_ROWS, reps.length - shown.length)} more
          </button>
          <button type="button" className="secondary" onClick={() => setRows(reps.length)}>
            Show all {reps.length}
          </button>
        </p>
      )}

      <h3>Incentives and consequences that came due</h3>
      {r.rules.length === 0 ? (
        <p className="muted">No rule fired in either run.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Kind</th>
              <th scope="col">States</th>
              <th scope="col" className="num">
                Actually came due
              </th>
              <th scope="col" className="num">
                Would have come due
              </th>
            </tr>
          </thead>
          <tbody>
            {r.rules.map((rule) => (
              <tr key={rule.rule}>
                <th scope="row">{rule.rule}</th>
                <td>{rule.kind}</td>
                <td>{rule.effects.join(', ').replaceAll('_', ' ')}</td>
                <td className="num">{rule.actual}</td>
                <td className="num">{rule.whatIf}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Changes reps={r.reps} />
    </section>
  )
}

/** Per rep and period, the rules that would have fired differently. */
function Changes({ reps }: { reps: readonly WhatIfRep[] }) {
  // The list is drawn when opened: over a thousand reps it can run to thousands of items.
  const [open, setOpen] = useState(false)
  const rows = reps.flatMap((rep) =>
    rep.periods.flatMap((p) => {
      const gained = p.whatIfRules.filter((x) => !p.actualRules.includes(x))
      const lost = p.actualRules.filter((x) => !p.whatIfRules.includes(x))
      return gained.length + lost.length === 0 ? [] : [{ rep: rep.name, period: p.period, gained, lost }]
    }),
  )
  if (rows.length === 0) return <p>The same incentives and consequences would have come due for every rep.</p>
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {rows.length} rep-period{rows.length === 1 ? '' : 's'} where they would have differed
      </summary>
      {open && (
        <ul>
          {rows.map((row) => (
            <li key={`${row.rep}-${row.period}`}>
              {row.rep}, {row.period}:{' '}
              {row.gained.length > 0 && <>would also have had {row.gained.join(', ')}</>}
              {row.gained.length > 0 && row.lost.length > 0 && '; '}
              {row.lost.length > 0 && <>would not have had {row.lost.join(', ')}</>}
            </li>
          ))}
        </ul>
      )}
    </details>
  )
}
