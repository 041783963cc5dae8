import type { ReactNode } from 'react'
import type { Me, Role } from '../session.ts'

/** A page of the app: where it lives (`/plans/:id`), who may open it, and, when listed, its menu label. */
export interface AreaPage {
  readonly path: string
  readonly roles: readonly Role[]
  /** Shown in the main menu when set (the first page of an area usually). */
  readonly nav?: string
  /** Where the role lands after signing in, when this page is the role's home. */
  readonly homeFor?: readonly Role[]
  readonly render: (params: Record<string, string>, me: Me) => ReactNode
}

export const EVERYONE: readonly Role[] = ['owner', 'admin', 'finance', 'manager', 'rep']

/** A page reachable without signing in: first-run setup, an invitation, a password reset. */
export interface PublicPage {
  readonly path: string
  readonly render: (params: Record<string, string>) => ReactNode
}
