import { useInfiniteQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'

export interface Page<T> {
  readonly items: T[]
  readonly nextCursor: string | null
}

/** A filtered list read page by page with the server's cursor ("Load more"). */
export function usePaged<T>(path: string, filters: Record<string, string>, limit = 100) {
  const query = useInfiniteQuery({
    queryKey: [path, filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(limit) })
      for (const [name, value] of Object.entries(filters)) if (value !== '') params.set(name, value)
      if (pageParam !== null) params.set('cursor', pageParam)
      return api.get<Page<T>>(`${path}?${params.toString()}`)
    },
    getNextPageParam: (last) => last.nextCursor,
  })
  return { ...query, items: query.data?.pages.flatMap((p) => p.items) ?? [] }
}

export interface Rep {
  readonly id: string
  readonly name: string
  readonly email: string
  readonly team: string
  readonly manager: string | null
  readonly plan: string | null
  readonly hiredOn: string | null
  readonly leftOn: string | null
}

/** Every rep the signed-in person may see (for filters), by id. */
export function useAllReps() {
  return usePaged<Rep>('/reps', {}, 500)
}
