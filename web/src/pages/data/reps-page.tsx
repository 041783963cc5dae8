import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api.ts'
import { day } from '../../format.ts'
import { usePaged, type Rep } from './paged.ts'

interface Team {
  readonly name: string
  readonly reps: string[]
}

/** Reps with their team, manager, plan and dates, filtered by team; and the teams. */
export function RepsPage() {
  const [team, setTeam] = useState('')
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api.get<{ items: Team[] }>('/teams') })
  const reps = usePaged<Rep>('/reps', { team }, 200)
  return (
    <>
      <h1>Reps and teams</h1>
      <section className="card" aria-labelledby="teams-heading">
        <h2 id="teams-heading">Teams</h2>
        {teams.isError && <p className="error">{teams.error.message}</p>}
        <ul className="row" style={{ listStyle: 'none', padding: 0 }}>
          {(teams.data?.items ?? []).map((t) => (
            <li key={t.name}>
              <button
                type="button"
                className={team === t.name ? undefined : 'secondary'}
                aria-pressed={team === t.name}
                onClick={() => setTeam(team === t.name ? '' : t.name)}
              >
                {t.name} ({t.reps.length})
              </button>
            </li>
          ))}
        </ul>
      </section>
      <div className="form">
        <label htmlFor="reps-team">Team</label>
        <select id="reps-team" value={team} onChange={(e) => setTeam(e.target.value)}>
          <option value="">All teams</option>
          {(teams.data?.items ?? []).map((t) => (
            <option key={t.name} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      {reps.isError && <p className="error">{reps.error.message}</p>}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Reps table">
        <table>
          <caption className="visually-hidden">Reps{team === '' ? '' : ` of team ${team}`}</caption>
          <thead>
            <tr>
              <th scope="col">Rep</th>
              <th scope="col">Team</th>
              <th scope="col">Manager</th>
              <th scope="col">Plan</th>
              <th scope="col">Hired</th>
              <th scope="col">Left</th>
            </tr>
          </thead>
          <tbody>
            {reps.items.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.name} <span className="muted">({r.id})</span>
                  <br />
                  <span className="muted">{r.email}</span>
                </td>
                <td>{r.team}</td>
                <td>{r.manager ?? '—'}</td>
                <td>{r.plan ?? '—'}</td>
                <td>{r.hiredOn === null ? '—' : day(r.hiredOn)}</td>
                <td>{r.leftOn === null ? '—' : day(r.leftOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!reps.isPending && reps.items.length === 0 && <p>No rep to show.</p>}
      {reps.hasNextPage && (
        <p>
          <button type="button" onClick={() => void reps.fetchNextPage()} disabled={reps.isFetchingNextPage}>
            Load more
          </button>
        </p>
      )}
    </>
  )
}
