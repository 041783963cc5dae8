import { useQueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { api } from './api.ts'
import type { AreaPage } from './areas/area.ts'
import { dataPages } from './areas/data.tsx'
import { executivePages } from './areas/executive.tsx'
import { financePages } from './areas/finance.tsx'
import { managerPages } from './areas/manager.tsx'
import { planPages } from './areas/plans.tsx'
import { publicPages } from './areas/public.tsx'
import { repPages } from './areas/rep.tsx'
import { settingsPages } from './areas/settings.tsx'
import { NotificationsLink } from './pages/settings/notifications-link.tsx'
import { SignIn } from './pages/sign-in.tsx'
import { match, useRoute } from './router.ts'
import { useMe, type Me } from './session.ts'

/** Every page, in menu order. Each area's file lists its own pages. */
const PAGES: readonly AreaPage[] = [
  ...repPages,
  ...managerPages,
  ...executivePages,
  ...planPages,
  ...dataPages,
  ...financePages,
  ...settingsPages,
]

export function App() {
  const me = useMe()
  const route = useRoute()
  for (const page of publicPages) {
    const params = match(page.path, route.path)
    if (params !== null) return <main id="main">{page.render(params)}</main>
  }
  if (me.isPending) return <p className="muted">Loading…</p>
  if (me.isError) return <p className="error">The server does not answer: {me.error.message}</p>
  if (me.data === null) return <SignIn />
  return (
    <Shell me={me.data} path={route.path}>
      {render(me.data, route.path)}
    </Shell>
  )
}

function render(me: Me, path: string): ReactNode {
  const target = path === '/' ? home(me) : path
  for (const page of PAGES) {
    const params = match(page.path, target)
    if (params === null) continue
    if (!page.roles.includes(me.role)) {
      return (
        <>
          <h1>Not for your role</h1>
          <p>This page is not open to the {me.role} role.</p>
        </>
      )
    }
    return page.render(params, me)
  }
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <a href="#/">Go home</a>.
      </p>
    </>
  )
}

/** The first page that names the role as its home, else the first page in the menu the role may open. */
function home(me: Me): string {
  const page =
    PAGES.find((p) => p.homeFor?.includes(me.role) === true) ??
    PAGES.find((p) => p.nav !== undefined && p.roles.includes(me.role))
  return page?.path ?? '/plans'
}

function Shell({ me, path, children }: { me: Me; path: string; children: ReactNode }) {
  const queries = useQueryClient()
  const items = PAGES.filter((page) => page.nav !== undefined && page.roles.includes(me.role))
  const current = path === '/' ? home(me) : path
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Followthrough</span>
        <div className="row">
          <NotificationsLink />
          <span>
            {me.name || me.email} · {me.role}
          </span>
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              await api.post('/auth/logout')
              queries.clear()
              window.location.hash = '/'
              await queries.invalidateQueries({ queryKey: ['me'] })
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <div className="layout">
        <nav aria-label="Main" className="side">
          {items.map((item) => (
            <a
              key={item.path}
              href={`#${item.path}`}
              aria-current={current === item.path || current.startsWith(`${item.path}/`) ? 'page' : undefined}
            >
              {item.nav}
            </a>
          ))}
        </nav>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </>
  )
}
