/** How a mapping recognizes a rep in an export's owner column. */
export type RepMatch = 'id' | 'email' | 'name'

/** The reps an export's owners are matched against: by id as written, email and name ignoring case. */
export interface RepDirectory {
  /** The ids of the reps whose `by` is `text`. */
  find(by: RepMatch, text: string): readonly string[]
}

const normalize = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase()

/** A directory of reps; names and emails compared ignoring case and repeated spaces. */
export function repDirectory(
  reps: Iterable<{ readonly id: string; readonly email: string; readonly name: string }>,
): RepDirectory {
  const ids = new Set<string>()
  const byEmail = new Map<string, string[]>()
  const byName = new Map<string, string[]>()
  const add = (index: Map<string, string[]>, key: string, id: string): void => {
    if (key === '') return
    const list = index.get(key)
    if (list === undefined) index.set(key, [id])
    else if (!list.includes(id)) list.push(id)
  }
  for (const rep of reps) {
    ids.add(rep.id)
    add(byEmail, normalize(rep.email), rep.id)
    add(byName, normalize(rep.name), rep.id)
  }
  return {
    find(by, text) {
      if (by === 'id') return ids.has(text) ? [text] : []
      return (by === 'email' ? byEmail : byName).get(normalize(text)) ?? []
    },
  }
}

/** A directory without reps: every lookup finds nothing. */
export const NO_REPS: RepDirectory = { find: () => [] }
