import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'
import { useRoute } from '../../router.ts'

/**
 * The page a one-time link opens (a password reset or an invitation): the token comes in the URL,
 * the person chooses a password (and, for an invitation, their name).
 */
export function TokenForm({ kind }: { kind: 'reset' | 'invitation' }) {
  const queries = useQueryClient()
  const route = useRoute()
  const token = route.query.get('token') ?? ''
  const [password, setPassword] = useState('')
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      if (kind === 'reset') await api.post('/auth/password-reset/confirm', { token, password })
      else await api.post('/auth/invitations/accept', { token, password, ...(name === '' ? {} : { name }) })
      setDone(true)
      await queries.invalidateQueries({ queryKey: ['me'] })
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const title = kind === 'reset' ? 'Choose a new password' : 'Accept your invitation'
  if (done)
    return (
      <>
        <h1>{title}</h1>
        <p className="notice" role="status">
          Done. <a href="#/">Sign in</a> with your new password.
        </p>
      </>
    )
  return (
    <>
      <h1>{title}</h1>
      {token === '' && <p className="error">This link has no token: open the link from the email again.</p>}
      <form className="form card" onSubmit={submit}>
        {kind === 'invitation' && (
          <>
            <label htmlFor="your-name">Your name</label>
            <input
              id="your-name"
              autoComplete="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </>
        )}
        <label htmlFor="new-password">New password (at least 10 characters)</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <p>
          <button type="submit" disabled={token === ''}>
            {kind === 'reset' ? 'Set the password' : 'Join'}
          </button>
        </p>
      </form>
    </>
  )
}
