import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../../api.ts'

export interface Notification {
  readonly id: string
  readonly kind: string
  readonly subject: string
  readonly body: string
  readonly createdAt: string
  readonly readAt: string | null
}

export const NOTIFICATIONS_KEY = ['notifications'] as const

/** The signed-in person's notifications, newest first. */
export function useNotifications() {
  return useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => api.get<{ items: Notification[] }>('/notifications?limit=100'),
    staleTime: 60_000,
  })
}

/** The in-app notifications of the signed-in person: due and overdue outcomes, pace warnings, digests. */
export function NotificationsPage() {
  const queries = useQueryClient()
  const list = useNotifications()
  const markRead = async (id: string) => {
    await api.post(`/notifications/${encodeURIComponent(id)}/read`)
    await queries.invalidateQueries({ queryKey: NOTIFICATIONS_KEY })
  }
  const items = list.data?.items ?? []
  const unread = items.filter((n) => n.readAt === null)
  return (
    <>
      <h1>Notifications</h1>
      {list.isPending && <p className="muted">Loading…</p>}
      {list.isError && <p className="error">{list.error.message}</p>}
      {list.data !== undefined && items.length === 0 && <p className="muted">Nothing for you yet.</p>}
      {list.data !== undefined && items.length > 0 && (
        <p className="muted">
          {unread.length === 0 ? 'All read.' : `${unread.length} unread of ${items.length}.`}
          {unread.length > 0 && (
            <>
              {' '}
              <button
                type="button"
                className="secondary"
                onClick={async () => {
                  for (const n of unread) await api.post(`/notifications/${encodeURIComponent(n.id)}/read`)
                  await queries.invalidateQueries({ queryKey: NOTIFICATIONS_KEY })
                }}
              >
                Mark all read
              </button>
            </>
          )}
        </p>
      )}
      <ul className="notifications">
        {items.map((n) => (
          <li key={n.id} className="card">
            <h2 className={n.readAt === null ? undefined : 'muted'}>
              {n.readAt === null && <span className="pill">new</span>} {n.subject}
            </h2>
            <p className="muted">
              {new Date(n.createdAt).toLocaleString()} · {n.kind.replaceAll('_', ' ')}
            </p>
            <p style={{ whiteSpace: 'pre-line' }}>{n.body}</p>
            {n.readAt === null && (
              <button type="button" className="secondary" onClick={() => void markRead(n.id)}>
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  )
}
