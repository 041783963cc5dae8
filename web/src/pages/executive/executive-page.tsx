import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'
import type { Period } from '../../types.ts'
import { FollowThroughSection } from './follow-through-section.tsx'
import { PeriodSections } from './period-sections.tsx'
import { AfterMissSection, UnderPerformersSection, UnenforcedSection } from './peer-sections.tsx'

/** The executive page: follow-through over time, unenforced misses, the after-miss analysis, attainment, commission share, under-performers. */
export default function ExecutivePage() {
  const periods = useQuery({ queryKey: ['periods'], queryFn: () => api.get<{ items: Period[] }>('/periods') })
  const closed = (periods.data?.items ?? [])
    .filter((p) => p.status === 'closed' && p.kind === 'month')
    .map((p) => p.key)
    .sort()
    .slice(-6)
  const last = closed[closed.length - 1]
  return (
    <>
      <h1>Executive: follow-through</h1>
      <p className="muted">
        Whether the incentives and consequences the plans state are carried out, and what it does to the team.
      </p>
      {periods.isError && <p className="error">{periods.error.message}</p>}
      {periods.data !== undefined && (
        <div className="executive">
          <FollowThroughSection periods={closed} />
          <UnenforcedSection />
          <AfterMissSection />
          {last !== undefined && <PeriodSections period={last} />}
          <UnderPerformersSection />
        </div>
      )}
    </>
  )
}
