import type { PublicPage } from './area.ts'

/** Pages reachable without signing in (setup, accepting an invitation, resetting a password). */
export const publicPages: readonly PublicPage[] = []
