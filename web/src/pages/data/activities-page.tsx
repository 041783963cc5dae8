import { useState } from 'react'
import { day } from '../../format.ts'
import { FilterForm, type Filters } from './filters.tsx'
import { useAllReps, usePaged } from './paged.ts'

interface Activity {
  readonly id: string
  readonly repId: string
  readonly kind: string
  readonly occurredOn: string
  readonly fields: Record<string, unknown>
}

const dateOf = (text: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? day(text) : text)

/** Activities, newest first; filtered by rep, kind and dates. */
export function ActivitiesPage() {
  const reps = useAllReps()
  const [filters, setFilters] = useState<Filters>({})
  const activities = usePaged<Activity>('/activities', filters)
  const names = new Map(reps.items.map((r) => [r.id, r.name]))
  return (
    <>
      <h1>Activities</h1>
      <FilterForm
        id="activities"
        reps={reps.items}
        initial={filters}
        onApply={setFilters}
        extra={(draft, set) => (
          <div>
            <label htmlFor="activities-kind">Kind</label>
            <input
              id="activities-kind"
              placeholder="call, meeting…"
              value={draft.kind ?? ''}
              onChange={(e) => set('kind', e.target.value)}
            />
          </div>
        )}
      />
      {activities.isError && <p className="error">{activities.error.message}</p>}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Activities table">
        <table>
          <caption className="visually-hidden">Activities, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Activity</th>
              <th scope="col">When</th>
              <th scope="col">Rep</th>
              <th scope="col">Kind</th>
              <th scope="col">Other fields</th>
            </tr>
          </thead>
          <tbody>
            {activities.items.map((a) => (
              <tr key={a.id}>
                <td>{a.id}</td>
                <td>{dateOf(a.occurredOn)}</td>
                <td>{names.get(a.repId) ?? a.repId}</td>
                <td>{a.kind}</td>
                <td className="muted">
                  {Object.entries(a.fields)
                    .map(([k, v]) => `${k}: ${String(v)}`)
                    .join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!activities.isPending && activities.items.length === 0 && <p>No activity matches these filters.</p>}
      {activities.hasNextPage && (
        <p>
          <button
            type="button"
            onClick={() => void activities.fetchNextPage()}
            disabled={activities.isFetchingNextPage}
          >
            Load more
          </button>
        </p>
      )}
    </>
  )
}
