import type { DemoLogin } from '../../app/auth/demo-people.ts'

/** The demo's sign-in details as a few aligned lines for the terminal. */
export function formatDemoLogins(logins: readonly DemoLogin[]): string {
  if (logins.length === 0) return ''
  const width = Math.max(...logins.map((l) => l.email.length))
  const password = logins[0]?.password ?? ''
  return (
    `Sign in as any of these, password "${password}":\n` +
    logins
      .map((l) => `  ${l.email.padEnd(width)}  ${l.role}${l.repId === null ? '' : ` (rep ${l.repId})`}\n`)
      .join('')
  )
}
