import { ForgotPassword } from '../pages/public/forgot-password.tsx'
import { SetupPage } from '../pages/public/setup-page.tsx'
import { TokenForm } from '../pages/public/token-form.tsx'
import type { PublicPage } from './area.ts'

/** Pages reachable without signing in (setup, accepting an invitation, resetting a password). */
export const publicPages: readonly PublicPage[] = [
  { path: '/setup', render: () => <SetupPage /> },
  { path: '/forgot-password', render: () => <ForgotPassword /> },
  { path: '/reset-password', render: () => <TokenForm kind="reset" /> },
  { path: '/accept-invitation', render: () => <TokenForm kind="invitation" /> },
]
