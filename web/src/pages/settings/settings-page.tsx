import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { useOrg, type Role } from '../../session.ts'
import { EmailSettings } from './email-settings.tsx'
import { FollowThroughSettingsForm } from './follow-through-settings.tsx'

interface Person {
  readonly id: string
  readonly email: string
  readonly name: string
  readonly role: Role
  readonly repId: string | null
  readonly disabledAt: string | null
}

interface Token {
  readonly id: string
  readonly name: string
  readonly scopes: readonly string[]
  readonly createdAt: string
  readonly lastUsedAt: string | null
  readonly revokedAt: string | null
}

/** Organization settings, people and invitations, API tokens. Owners and admins. */
export function SettingsPage() {
  return (
    <>
      <h1>Settings</h1>
      <div className="grid">
        <OrganizationForm />
        <InviteForm />
      </div>
      <People />
      <Tokens />
      <div className="grid">
        <FollowThroughSettingsForm />
        <EmailSettings />
      </div>
    </>
  )
}

function OrganizationForm() {
  const org = useOrg()
  const queries = useQueryClient()
  const [draft, setDraft] = useState<{ name: string; currency: string; timezone: string } | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const value = draft ?? org.data ?? { name: '', currency: '', timezone: '' }
  const set = (key: 'name' | 'currency' | 'timezone') => (e: { target: { value: string } }) =>
    setDraft({ ...value, [key]: e.target.value })
  const save = async (event: FormEvent) => {
    event.preventDefault()
    try {
      await api.patch('/organization', {
        name: value.name,
        currency: value.currency,
        timezone: value.timezone,
      })
      setMessage('Saved.')
      setDraft(null)
      await queries.invalidateQueries({ queryKey: ['organization'] })
    } catch (e) {
      setMessage((e as Error).message)
    }
  }
  return (
    <form className="card" onSubmit={save} aria-labelledby="org-title">
      <h2 id="org-title">Organization</h2>
      <label htmlFor="set-name">Name</label>
      <input id="set-name" value={value.name} onChange={set('name')} />
      <label htmlFor="set-currency">Currency</label>
      <input id="set-currency" value={value.currency} onChange={set('currency')} />
      <label htmlFor="set-timezone">Time zone</label>
      <input id="set-timezone" value={value.timezone} onChange={set('timezone')} />
      <p className="row">
        <button type="submit">Save</button>
        {message !== null && <span role="status">{message}</span>}
      </p>
    </form>
  )
}

function InviteForm() {
  const queries = useQueryClient()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('rep')
  const [repId, setRepId] = useState('')
  const [message, setMessage] = useState<string | null>(null)
  const invite = async (event: FormEvent) => {
    event.preventDefault()
    try {
      const out = await api.post<{ delivery: 'sent' | 'queued' }>('/auth/invitations', {
        email,
        role,
        repId: repId === '' ? null : repId,
      })
      setMessage(
        out.delivery === 'sent'
          ? `Invitation sent to ${email}.`
          : `Invitation queued in the outbox for ${email}.`,
      )
      setEmail('')
      await queries.invalidateQueries({ queryKey: ['users'] })
    } catch (e) {
      setMessage((e as Error).message)
    }
  }
  return (
    <form className="card" onSubmit={invite} aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <label htmlFor="inv-email">Email</label>
      <input id="inv-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <label htmlFor="inv-role">Role</label>
      <select id="inv-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {(['rep', 'manager', 'finance', 'admin', 'owner'] as const).map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <label htmlFor="inv-rep">Rep id (for a rep or manager)</label>
      <input id="inv-rep" value={repId} onChange={(e) => setRepId(e.target.value)} />
      <p className="row">
        <button type="submit">Invite</button>
        {message !== null && <span role="status">{message}</span>}
      </p>
    </form>
  )
}

function People() {
  const people = useQuery({ queryKey: ['users'], queryFn: () => api.get<{ items: Person[] }>('/users') })
  return (
    <section className="card" aria-labelledby="people-title">
      <h2 id="people-title">People who sign in</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Rep</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {(people.data?.items ?? []).map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>{p.email}</td>
              <td>{p.role}</td>
              <td>{p.repId ?? ''}</td>
              <td>{p.disabledAt === null ? 'active' : 'disabled'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function Tokens() {
  const queries = useQueryClient()
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: () => api.get<{ items: Token[] }>('/auth/tokens'),
  })
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<string[]>(['read'])
  const [created, setCreated] = useState<string | null>(null)
  const create = async (event: FormEvent) => {
    event.preventDefault()
    const out = await api.post<{ token: string }>('/auth/tokens', { name, scopes })
    setCreated(out.token)
    setName('')
    await queries.invalidateQueries({ queryKey: ['tokens'] })
  }
  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      {created !== null && (
        <p className="notice" role="status">
          Copy this token now; it is shown once: <code>{created}</code>
        </p>
      )}
      <form className="row" onSubmit={create}>
        <label htmlFor="token-name">Name</label>
        <input
          id="token-name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          style={{ width: 'auto' }}
        />
        {['read', 'write', 'webhooks'].map((scope) => (
          <label key={scope} style={{ fontWeight: 400 }}>
            <input
              type="checkbox"
              style={{ width: 'auto' }}
              checked={scopes.includes(scope)}
              onChange={(e) =>
                setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))
              }
            />{' '}
            {scope}
          </label>
        ))}
        <button type="submit" disabled={scopes.length === 0}>
          Create a token
        </button>
      </form>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="skip">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(tokens.data?.items ?? []).map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>{t.scopes.join(', ')}</td>
              <td>{new Date(t.createdAt).toLocaleDateString()}</td>
              <td>{t.lastUsedAt === null ? 'never' : new Date(t.lastUsedAt).toLocaleString()}</td>
              <td>
                {t.revokedAt === null ? (
                  <button
                    type="button"
                    className="secondary"
                    onClick={async () => {
                      await api.delete(`/auth/tokens/${t.id}`)
                      await queries.invalidateQueries({ queryKey: ['tokens'] })
                    }}
                  >
                    Revoke {t.name}
                  </button>
                ) : (
                  'revoked'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
