import { useState } from 'react'
import { day, money } from '../../format.ts'
import { useOrg } from '../../session.ts'
import { FilterForm, type Filters } from './filters.tsx'
import { useAllReps, usePaged } from './paged.ts'

interface Deal {
  readonly id: string
  readonly closedOn: string
  readonly amountMinor: number
  readonly mrrMinor: number
  readonly type: string
  readonly customer: string
  readonly termMonths: number | null
  readonly cancelledOn: string | null
  readonly credits: { repId: string; shareMicro: number }[]
}

const share = (micro: number): string => `${(micro / 10_000).toLocaleString(undefined, { maximumFractionDigits: 2 })}%`
const dateOf = (text: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? day(text) : text)

/** Deals, newest close first, with their credits; filtered by rep, dates, type and customer. */
export function DealsPage() {
  const org = useOrg()
  const currency = org.data?.currency ?? 'USD'
  const reps = useAllReps()
  const [filters, setFilters] = useState<Filters>({})
  const deals = usePaged<Deal>('/deals', filters)
  const names = new Map(reps.items.map((r) => [r.id, r.name]))
  return (
    <>
      <h1>Deals</h1>
      <FilterForm
        id="deals"
        reps={reps.items}
        initial={filters}
        onApply={setFilters}
        extra={(draft, set) => (
          <>
            <div>
              <label htmlFor="deals-type">Type</label>
              <input id="deals-type" value={draft.type ?? ''} onChange={(e) => set('type', e.target.value)} />
            </div>
            <div>
              <label htmlFor="deals-customer">Customer (exact name)</label>
              <input
                id="deals-customer"
                value={draft.customer ?? ''}
                onChange={(e) => set('customer', e.target.value)}
              />
            </div>
          </>
        )}
      />
      {deals.isError && <p className="error">{deals.error.message}</p>}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Deals table">
        <table>
          <caption className="visually-hidden">Deals, newest close first</caption>
          <thead>
            <tr>
              <th scope="col">Deal</th>
              <th scope="col">Closed</th>
              <th scope="col">Customer</th>
              <th scope="col">Type</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col" className="num">
                MRR
              </th>
              <th scope="col">Credited to</th>
            </tr>
          </thead>
          <tbody>
            {deals.items.map((d) => (
              <tr key={d.id}>
                <td>
                  {d.id}
                  {d.cancelledOn !== null && <span className="bad"> · cancelled {dateOf(d.cancelledOn)}</span>}
                </td>
                <td>{dateOf(d.closedOn)}</td>
                <td>{d.customer}</td>
                <td>
                  {d.type}
                  {d.termMonths === null ? '' : ` · ${d.termMonths} months`}
                </td>
                <td className="num">{money(d.amountMinor, currency)}</td>
                <td className="num">{money(d.mrrMinor, currency)}</td>
                <td>
                  {d.credits
                    .map((c) => `${names.get(c.repId) ?? c.repId}${c.shareMicro === 1_000_000 ? '' : ` ${share(c.shareMicro)}`}`)
                    .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!deals.isPending && deals.items.length === 0 && <p>No deal matches these filters.</p>}
      {deals.hasNextPage && (
        <p>
          <button type="button" onClick={() => void deals.fetchNextPage()} disabled={deals.isFetchingNextPage}>
            Load more
          </button>
        </p>
      )}
    </>
  )
}
