import { lazy, Suspense } from 'react'
import type { AreaPage } from './area.ts'

// Loaded on first visit: the charts (echarts) stay out of the first page's JavaScript.
const ExecutivePage = lazy(() => import('../pages/executive/executive-page.tsx'))

/** The executive pages: follow-through over time, unenforced misses, after-miss analysis, attainment, under-performers. */
export const executivePages: readonly AreaPage[] = [
  {
    path: '/executive',
    nav: 'Executive',
    roles: ['owner', 'admin', 'finance'],
    render: () => (
      <Suspense fallback={<p className="muted">Loading…</p>}>
        <ExecutivePage />
      </Suspense>
    ),
  },
]
