import { RepHome } from '../pages/rep/rep-home.tsx'
import { StatementPage } from '../pages/rep/statement-page.tsx'
import { EVERYONE, type AreaPage } from './area.ts'

/** The rep's pages: progress of the open period, statements. Managers open a rep's page from the team board. */
export const repPages: readonly AreaPage[] = [
  {
    path: '/me',
    nav: 'My progress',
    roles: ['rep'],
    homeFor: ['rep'],
    render: (_p, me) => <RepHome me={me} repId={null} />,
  },
  { path: '/reps/:id', roles: EVERYONE, render: (p, me) => <RepHome me={me} repId={p.id ?? null} /> },
  {
    path: '/statements/:rep/:period',
    roles: EVERYONE,
    render: (p, me) => <StatementPage repId={p.rep ?? ''} period={p.period ?? ''} me={me} />,
  },
]
