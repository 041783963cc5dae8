import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api.ts'
import { percent } from '../../format.ts'
import type { Period } from '../../types.ts'

interface Entry {
  readonly rank: number
  readonly repId: string
  readonly name: string
  readonly team: string
  readonly metric: string
  readonly attainment: string | null
}

/** Attainment of every rep for a closed period, highest first; never pay. */
export function Leaderboard() {
  const periods = useQuery({ queryKey: ['periods'], queryFn: () => api.get<{ items: Period[] }>('/periods') })
  const closed = (periods.data?.items ?? [])
    .filter((p) => p.status === 'closed' && p.kind === 'month')
    .reverse()
  const [chosen, setChosen] = useState<string | null>(null)
  const period = chosen ?? closed[0]?.key ?? null
  const board = useQuery({
    queryKey: ['leaderboard', period],
    queryFn: () => api.get<{ items: Entry[] }>(`/periods/${period ?? ''}/leaderboard`),
    enabled: period !== null,
  })
  return (
    <>
      <h1>Leaderboard</h1>
      <div className="row">
        <label htmlFor="lb-period">Period</label>
        <select
          id="lb-period"
          value={period ?? ''}
          onChange={(e) => setChosen(e.target.value)}
          style={{ width: 'auto' }}
        >
          {closed.map((p) => (
            <option key={p.key} value={p.key}>
              {p.key}
            </option>
          ))}
        </select>
      </div>
      <div className="card">
        <table>
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              <th scope="col">Rep</th>
              <th scope="col">Team</th>
              <th scope="col">Metric</th>
              <th scope="col" className="num">
                Attainment
              </th>
            </tr>
          </thead>
          <tbody>
            {(board.data?.items ?? []).map((e) => (
              <tr key={e.repId}>
                <td className="num">{e.rank}</td>
                <td>{e.name || e.repId}</td>
                <td>{e.team}</td>
                <td>{e.metric}</td>
                <td className="num">{percent(e.attainment)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
