import { PlansPage } from '../pages/plans.tsx'
import { WhatIfPage } from '../pages/plans/what-if-page.tsx'
import { EVERYONE, type AreaPage } from './area.ts'

/** Plans: the editor with checking as you type, versions and plain-language diffs. */
export const planPages: readonly AreaPage[] = [
  { path: '/plans', nav: 'Plans', roles: EVERYONE, render: (_p, me) => <PlansPage me={me} planId={null} /> },
  { path: '/plans/:id', roles: EVERYONE, render: (p, me) => <PlansPage me={me} planId={p.id ?? null} /> },
  { path: '/what-if', nav: 'What if', roles: ['owner', 'admin'], render: () => <WhatIfPage /> },
]
