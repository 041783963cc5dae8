import { FinancePage } from '../pages/finance/finance-page.tsx'
import type { AreaPage } from './area.ts'

/** Finance: payout approval, payroll export, ledger verification, the audit log. */
export const financePages: readonly AreaPage[] = [
  {
    path: '/finance',
    nav: 'Finance',
    roles: ['owner', 'admin', 'finance'],
    homeFor: ['finance'],
    render: (_p, me) => <FinancePage canApprove={me.role !== 'admin'} />,
  },
]
