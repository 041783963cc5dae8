import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../api.ts'
import { isExecutive, type Me } from '../session.ts'
import { PlanEditor } from './plan-editor.tsx'

interface PlanListing {
  readonly id: string
  readonly name: string
  readonly latestVersion: number
  readonly publishedAt: string
  readonly repCount: number
}

interface PlanVersion {
  readonly planId: string
  readonly version: number
  readonly latestVersion: number
  readonly hash: string
  readonly format: 'yaml' | 'json'
  readonly source: string
  readonly publishedAt: string
  readonly publishedBy: string
  readonly summary: readonly string[]
}

interface VersionListing {
  readonly version: number
  readonly hash: string
  readonly publishedAt: string
  readonly publishedBy: string
}

/** The plans: the list, one plan's text in the editor (owners and admins publish), its versions and diffs. */
export function PlansPage({ me, planId }: { me: Me; planId: string | null }) {
  const queries = useQueryClient()
  const list = useQuery({ queryKey: ['plans'], queryFn: () => api.get<{ items: PlanListing[] }>('/plans') })
  const chosen = planId ?? list.data?.items[0]?.id ?? null
  const detail = useQuery({
    queryKey: ['plans', chosen, 'latest'],
    queryFn: () => api.get<PlanVersion>(`/plans/${encodeURIComponent(chosen ?? '')}`),
    enabled: chosen !== null,
  })
  const versions = useQuery({
    queryKey: ['plans', chosen, 'versions'],
    queryFn: () =>
      api.get<{ items: VersionListing[] }>(`/plans/${encodeURIComponent(chosen ?? '')}/versions`),
    enabled: chosen !== null,
  })
  const publish = isExecutive(me.role)
    ? async (text: string) => {
        const file = `${chosen ?? 'plan'}.${detail.data?.format ?? 'yaml'}`
        await api.post('/plans', { source: text, file })
        await queries.invalidateQueries({ queryKey: ['plans'] })
      }
    : undefined
  return (
    <>
      <h1>Plans</h1>
      {list.isError && <p className="error">{list.error.message}</p>}
      {list.data?.items.length === 0 && <p className="muted">No plan is published yet.</p>}
      <nav aria-label="Plans" className="row">
        {list.data?.items.map((plan) => (
          <a
            key={plan.id}
            className="pill"
            href={`#/plans/${encodeURIComponent(plan.id)}`}
            aria-current={plan.id === chosen ? 'page' : undefined}
          >
            {plan.name || plan.id} · v{plan.latestVersion} · {plan.repCount} reps
          </a>
        ))}
      </nav>
      {detail.isError && <p className="error">{detail.error.message}</p>}
      {detail.data !== undefined && (
        <>
          <h2>
            {detail.data.planId} v{detail.data.version}{' '}
            <span className="muted">
              published {new Date(detail.data.publishedAt).toLocaleDateString()} by {detail.data.publishedBy}
            </span>
          </h2>
          <PlanEditor
            key={`${detail.data.planId}-${detail.data.version}`}
            initialText={detail.data.source}
            fileName={`${detail.data.planId}.${detail.data.format}`}
            {...(publish === undefined ? {} : { onPublish: publish })}
          />
          {versions.data !== undefined && chosen !== null && (
            <Versions planId={chosen} versions={versions.data.items} />
          )}
        </>
      )}
    </>
  )
}

function Versions({ planId, versions }: { planId: string; versions: readonly VersionListing[] }) {
  const newest = versions[0]?.version ?? 1
  const [from, setFrom] = useState(Math.max(1, newest - 1))
  const [to, setTo] = useState(newest)
  const diff = useQuery({
    queryKey: ['plans', planId, 'diff', from, to],
    queryFn: () =>
      api.get<{ changes: string[] }>(`/plans/${encodeURIComponent(planId)}/diff?from=${from}&to=${to}`),
    enabled: from !== to,
  })
  return (
    <section className="card" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Published</th>
            <th scope="col">By</th>
            <th scope="col">Hash</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>v{v.version}</td>
              <td>{new Date(v.publishedAt).toLocaleString()}</td>
              <td>{v.publishedBy}</td>
              <td>
                <code>{v.hash.slice(0, 16)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length > 1 && (
        <>
          <h3>What changed</h3>
          <div className="row">
            <label htmlFor="diff-from">From</label>
            <select id="diff-from" value={from} onChange={(e) => setFrom(Number(e.target.value))}>
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </select>
            <label htmlFor="diff-to">to</label>
            <select id="diff-to" value={to} onChange={(e) => setTo(Number(e.target.value))}>
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </select>
          </div>
          {diff.data !== undefined && (
            <ul>
              {diff.data.changes.length === 0 ? <li>No change in meaning.</li> : null}
              {diff.data.changes.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  )
}
