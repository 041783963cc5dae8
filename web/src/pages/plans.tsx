import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../api.ts'
import { isExecutive, type Me } from '../session.ts'
import { PlanEditor } from './plan-editor.tsx'

interface PlanListItem {
  readonly id: string
  readonly name: string
  readonly latestVersion: number
}

interface PlanVersion {
  readonly version: number
  readonly hash: string
  readonly publishedAt: string
  readonly publishedBy: string
  readonly effectiveFrom: string | null
}

interface PlanDetail {
  readonly id: string
  readonly name: string
  readonly source: string
  readonly format: 'yaml' | 'json'
  readonly summary: readonly string[]
  readonly versions: readonly PlanVersion[]
}

/** The plans: the list, one plan's text in the editor, its versions. */
export function PlansPage({ me, planId }: { me: Me; planId: string | null }) {
  const queries = useQueryClient()
  const list = useQuery({ queryKey: ['plans'], queryFn: () => api.get<{ items: PlanListItem[] }>('/plans') })
  const chosen = planId ?? list.data?.items[0]?.id ?? null
  const detail = useQuery({
    queryKey: ['plans', chosen],
    queryFn: () => api.get<PlanDetail>(`/plans/${encodeURIComponent(chosen ?? '')}`),
    enabled: chosen !== null,
  })
  const publish = isExecutive(me.role)
    ? async (text: string) => {
        await api.post('/plans', { source: text })
        await queries.invalidateQueries({ queryKey: ['plans'] })
      }
    : undefined
  return (
    <>
      <h1>Plans</h1>
      {list.isError && <p className="error">{list.error.message}</p>}
      <nav aria-label="Plans" className="row">
        {list.data?.items.map((plan) => (
          <a
            key={plan.id}
            href={`#/plans/${encodeURIComponent(plan.id)}`}
            aria-current={plan.id === chosen ? 'page' : undefined}
          >
            {plan.name || plan.id} (v{plan.latestVersion})
          </a>
        ))}
      </nav>
      {detail.data !== undefined && (
        <>
          <PlanEditor
            key={`${detail.data.id}-${detail.data.versions.length}`}
            initialText={detail.data.source}
            fileName={`${detail.data.id}.${detail.data.format}`}
            {...(publish === undefined ? {} : { onPublish: publish })}
          />
          <section className="card" aria-labelledby="versions-title">
            <h2 id="versions-title">Versions</h2>
            <table>
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Published</th>
                  <th>By</th>
                  <th>Effective from</th>
                  <th>Hash</th>
                </tr>
              </thead>
              <tbody>
                {detail.data.versions.map((v) => (
                  <tr key={v.version}>
                    <td>v{v.version}</td>
                    <td>{new Date(v.publishedAt).toLocaleString()}</td>
                    <td>{v.publishedBy}</td>
                    <td>{v.effectiveFrom ?? 'the beginning'}</td>
                    <td>
                      <code>{v.hash.slice(0, 12)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </>
  )
}
