import { lazy, Suspense, type ReactNode } from 'react'
import { EVERYONE, type AreaPage } from './area.ts'

// Loaded on first visit: the plan checker (the YAML parser, CEL and Temporal) stays out of the
// first page's JavaScript, which the rep home and the team board wait for.
const PlansPage = lazy(() => import('../pages/plans.tsx').then((m) => ({ default: m.PlansPage })))
const WhatIfPage = lazy(() =>
  import('../pages/plans/what-if-page.tsx').then((m) => ({ default: m.WhatIfPage })),
)

const loading = (page: ReactNode) => <Suspense fallback={<p className="muted">Loading…</p>}>{page}</Suspense>

/** Plans: the editor with checking as you type, versions and plain-language diffs. */
export const planPages: readonly AreaPage[] = [
  {
    path: '/plans',
    nav: 'Plans',
    roles: EVERYONE,
    render: (_p, me) => loading(<PlansPage me={me} planId={null} />),
  },
  {
    path: '/plans/:id',
    roles: EVERYONE,
    render: (p, me) => loading(<PlansPage me={me} planId={p.id ?? null} />),
  },
  { path: '/what-if', nav: 'What if', roles: ['owner', 'admin'], render: () => loading(<WhatIfPage />) },
]
