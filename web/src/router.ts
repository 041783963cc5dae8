import { useSyncExternalStore } from 'react'

/** The location after `#`: `/rep`, `/plans/msp-ae`, with its query. */
export interface Route {
  readonly path: string
  readonly query: URLSearchParams
}

const read = (): string => window.location.hash.replace(/^#/, '') || '/'

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/** The current route; re-renders when the hash changes (links are plain `href="#/..."`). */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, read, () => '/')
  const [path = '/', query = ''] = hash.split('?')
  return { path, query: new URLSearchParams(query) }
}

export function navigate(path: string): void {
  window.location.hash = path
}

/** Matches `/plans/:id` against a path: the named parts, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/')
  const got = path.split('/')
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? ''
    const g = got[i] ?? ''
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g)
    else if (w !== g) return null
  }
  return params
}
