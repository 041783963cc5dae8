import { useQuery } from '@tanstack/react-query'
import { api, ApiError } from './api.ts'

export type Role = 'owner' | 'admin' | 'finance' | 'manager' | 'rep'

/** The signed-in person, as the server says. */
export interface Me {
  readonly personId: string
  readonly orgId: string
  readonly role: Role
  readonly repId: string | null
  readonly name: string
  readonly email: string
}

declare global {
  interface Window {
    /** Asked by index.html before the app loaded: the signed-in person, or null. */
    __ftSession?: Promise<Me | null>
  }
}

/** The answer index.html asked for while the JavaScript loaded, once; undefined when there is none or it failed. */
async function early(): Promise<Me | null | undefined> {
  const asked = window.__ftSession
  if (asked === undefined) return undefined
  window.__ftSession = undefined
  try {
    return await asked
  } catch {
    return undefined
  }
}

/** The signed-in person; null when nobody is signed in (401). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      const known = await early()
      if (known !== undefined) return known
      const state = await api.get<{ signedIn: boolean }>('/auth/state')
      if (!state.signedIn) return null
      try {
        return await api.get<Me>('/auth/me')
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null
        throw error
      }
    },
    staleTime: 60_000,
  })
}

export const canSeeTeam = (role: Role): boolean => role !== 'rep'
export const isExecutive = (role: Role): boolean => role === 'owner' || role === 'admin'
export const isFinance = (role: Role): boolean => role === 'owner' || role === 'admin' || role === 'finance'

export interface Organization {
  readonly id: string
  readonly name: string
  readonly currency: string
  readonly timezone: string
}

/** The organization: its currency and time zone format money and dates everywhere. */
export function useOrg() {
  return useQuery({
    queryKey: ['organization'],
    queryFn: () => api.get<Organization>('/organization'),
    staleTime: 300_000,
  })
}
