import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'

/** First run: the organization (name, currency, time zone) and its owner's sign-in. */
export function SetupPage() {
  const queries = useQueryClient()
  const [form, setForm] = useState({
    name: '',
    currency: 'USD',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    email: '',
    ownerName: '',
    password: '',
  })
  const [error, setError] = useState<string | null>(null)
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value })
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      await api.post('/setup', {
        organization: { name: form.name, currency: form.currency, timezone: form.timezone },
        owner: { email: form.email, name: form.ownerName, password: form.password },
      })
      window.location.hash = '/'
      await queries.invalidateQueries()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <>
      <h1>Set up Followthrough</h1>
      <p>Your organization and your own sign-in as its owner. You can invite everyone else afterwards.</p>
      <form className="form card" onSubmit={submit}>
        <label htmlFor="org-name">Organization name</label>
        <input id="org-name" required value={form.name} onChange={set('name')} />
        <label htmlFor="org-currency">Currency (ISO code)</label>
        <input
          id="org-currency"
          required
          pattern="[A-Z]{3}"
          value={form.currency}
          onChange={set('currency')}
        />
        <label htmlFor="org-timezone">Time zone</label>
        <input id="org-timezone" required value={form.timezone} onChange={set('timezone')} />
        <label htmlFor="owner-name">Your name</label>
        <input id="owner-name" autoComplete="name" value={form.ownerName} onChange={set('ownerName')} />
        <label htmlFor="owner-email">Your email</label>
        <input
          id="owner-email"
          type="email"
          autoComplete="username"
          required
          value={form.email}
          onChange={set('email')}
        />
        <label htmlFor="owner-password">Password (at least 10 characters)</label>
        <input
          id="owner-password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          value={form.password}
          onChange={set('password')}
        />
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <p>
          <button type="submit">Create the organization</button>
        </p>
      </form>
    </>
  )
}
