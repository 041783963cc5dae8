import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'

interface Outbox {
  readonly smtp: {
    readonly configured: boolean
    readonly host: string | null
    readonly from: string | null
    readonly problem: string | null
  }
  readonly items: readonly {
    readonly id: string
    readonly kind: string
    readonly to: string
    readonly subject: string
    readonly status: 'queued' | 'sending' | 'sent' | 'failed' | 'outboxed'
    readonly attempts: number
    readonly lastError: string | null
    readonly createdAt: string
    readonly sentAt: string | null
  }[]
}

const STATUS_CLASS: Record<Outbox['items'][number]['status'], string> = {
  queued: 'muted',
  sending: 'muted',
  sent: 'good',
  failed: 'bad',
  outboxed: 'warn',
}

const when = (iso: string): string => new Date(iso).toLocaleString()

/** Whether email goes out through SMTP, and the last messages of the outbox with their status. */
export function EmailSettings() {
  const outbox = useQuery({ queryKey: ['outbox'], queryFn: () => api.get<Outbox>('/outbox?limit=20') })
  return (
    <section className="card" aria-labelledby="email-title">
      <h2 id="email-title">Email</h2>
      {outbox.isPending && <p className="muted">Loading…</p>}
      {outbox.isError && <p className="error">{outbox.error.message}</p>}
      {outbox.data !== undefined && (
        <>
          {outbox.data.smtp.configured ? (
            <p>
              <span className="good">SMTP is configured</span>: {outbox.data.smtp.host ?? 'a server'}
              {outbox.data.smtp.from !== null && <>, from {outbox.data.smtp.from}</>}.
            </p>
          ) : (
            <p>
              <span className="warn">SMTP is not configured</span>: emails stay in the local outbox below. Set{' '}
              <code>SMTP_URL</code> (and <code>MAIL_FROM</code>) on the server to send them.
            </p>
          )}
          {outbox.data.smtp.problem !== null && <p className="error">{outbox.data.smtp.problem}</p>}
          {outbox.data.items.length === 0 ? (
            <p className="muted">No emails yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption>The last {outbox.data.items.length} emails, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Created</th>
                    <th scope="col">To</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {outbox.data.items.map((m) => (
                    <tr key={m.id}>
                      <td>{when(m.createdAt)}</td>
                      <td>{m.to}</td>
                      <td>{m.subject}</td>
                      <td>
                        <span className={STATUS_CLASS[m.status]}>{m.status}</span>
                        {m.sentAt !== null && <> {when(m.sentAt)}</>}
                        {m.lastError !== null && (
                          <>
                            {' '}
                            ({m.attempts} attempts: {m.lastError})
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  )
}
