import { useState, type FormEvent } from 'react'
import { api } from '../../api.ts'

/** Asks for a password reset link by email; says the same whether or not the address is known. */
export function ForgotPassword() {
  const [email, setEmail] = useState('')
  const [sent, setSent] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      await api.post('/auth/password-reset', { email })
      setSent(true)
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <>
      <h1>Reset your password</h1>
      {sent ? (
        <p className="notice" role="status">
          If {email} can sign in here, a link to choose a new password is on its way. It works once, within an
          hour.
        </p>
      ) : (
        <form className="form card" onSubmit={submit}>
          <label htmlFor="reset-email">Email</label>
          <input
            id="reset-email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          {error !== null && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <p>
            <button type="submit">Send the link</button> <a href="#/">Back to sign-in</a>
          </p>
        </form>
      )}
    </>
  )
}
