import { ImportsPage } from '../pages/data/imports-page.tsx'
import { CloseWizard } from '../pages/manager/close-wizard.tsx'
import type { AreaPage } from './area.ts'

/** Data in and periods closed: imports (with mappings and preview), the close wizard. */
export const dataPages: readonly AreaPage[] = [
  { path: '/imports', nav: 'Imports', roles: ['owner', 'admin', 'manager'], render: () => <ImportsPage /> },
  {
    path: '/close',
    nav: 'Close',
    roles: ['owner', 'admin', 'finance', 'manager'],
    render: () => <CloseWizard />,
  },
]
