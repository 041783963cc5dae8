import { ActivitiesPage } from '../pages/data/activities-page.tsx'
import { DealsPage } from '../pages/data/deals-page.tsx'
import { ImportsPage } from '../pages/data/imports-page.tsx'
import { QuotasPage } from '../pages/data/quotas-page.tsx'
import { RepsPage } from '../pages/data/reps-page.tsx'
import { CloseWizard } from '../pages/manager/close-wizard.tsx'
import type { AreaPage } from './area.ts'

/** Data in and periods closed: imports, reps and teams, quotas, deals, activities, the close wizard. */
export const dataPages: readonly AreaPage[] = [
  { path: '/imports', nav: 'Imports', roles: ['owner', 'admin', 'manager'], render: () => <ImportsPage /> },
  { path: '/reps', nav: 'Reps', roles: ['owner', 'admin', 'finance', 'manager'], render: () => <RepsPage /> },
  {
    path: '/quotas',
    nav: 'Quotas',
    roles: ['owner', 'admin', 'finance', 'manager'],
    render: (_p, me) => <QuotasPage me={me} />,
  },
  {
    path: '/deals',
    nav: 'Deals',
    roles: ['owner', 'admin', 'finance', 'manager'],
    render: () => <DealsPage />,
  },
  {
    path: '/activities',
    nav: 'Activities',
    roles: ['owner', 'admin', 'finance', 'manager'],
    render: () => <ActivitiesPage />,
  },
  {
    path: '/close',
    nav: 'Close',
    roles: ['owner', 'admin', 'finance', 'manager'],
    render: () => <CloseWizard />,
  },
]
