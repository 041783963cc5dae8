import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'
import { day } from '../../format.ts'

interface CoachingListing {
  readonly id: string
  readonly repId: string
  readonly program: string
  readonly state: string
}

interface CoachingView {
  readonly plan: { program: string; openedPeriod: string; lastPeriod: string; state: string }
  readonly passInWords: string
  readonly items: readonly {
    id: string
    kind: string
    title: string
    dueOn: string
    status: 'done' | 'due' | 'late'
    notes: string | null
  }[]
  readonly expected: readonly string[]
}

/** The rep's open coaching plan: the program, what decides it, and the training items and check-ins. */
export function CoachingCard({ repId }: { repId: string }) {
  const open = useQuery({
    queryKey: ['coaching', 'list', repId],
    queryFn: () =>
      api.get<{ items: CoachingListing[] }>(`/coaching?rep=${encodeURIComponent(repId)}&state=open`),
  })
  const hasPlan = (open.data?.items.length ?? 0) > 0
  const view = useQuery({
    queryKey: ['coaching', repId],
    queryFn: () => api.get<CoachingView>(`/coaching/${encodeURIComponent(repId)}`),
    enabled: hasPlan,
  })
  if (!hasPlan || view.data === undefined) return null
  const v = view.data
  return (
    <section className="card" aria-labelledby="coaching-title">
      <h2 id="coaching-title">Coaching plan: {v.plan.program}</h2>
      <p>
        From {v.plan.openedPeriod} to {v.plan.lastPeriod}. It is passed at the close of {v.plan.lastPeriod}{' '}
        with {v.passInWords}.
      </p>
      <ul>
        {v.expected.map((e, i) => (
          <li key={i}>{e}</li>
        ))}
      </ul>
      {v.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {v.items.map((item) => (
              <tr key={item.id}>
                <td>
                  {item.kind === 'check_in' ? 'Check-in' : 'Training'}: {item.title}
                </td>
                <td>{day(item.dueOn)}</td>
                <td className={item.status === 'late' ? 'bad' : item.status === 'done' ? 'good' : undefined}>
                  {item.status}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
