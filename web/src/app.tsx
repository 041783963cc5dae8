import { useQueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { api } from './api.ts'
import { PlansPage } from './pages/plans.tsx'
import { SignIn } from './pages/sign-in.tsx'
import { match, useRoute } from './router.ts'
import { canSeeTeam, isExecutive, isFinance, useMe, type Me } from './session.ts'

interface NavItem {
  readonly path: string
  readonly label: string
  readonly show: (me: Me) => boolean
}

const NAV: readonly NavItem[] = [{ path: '/plans', label: 'Plans', show: () => true }]

export function App() {
  const me = useMe()
  const route = useRoute()
  if (me.isPending) return <p className="muted">Loading…</p>
  if (me.isError) return <p className="error">The server does not answer: {me.error.message}</p>
  if (me.data === null) return <SignIn />
  const person = me.data
  return (
    <Shell me={person} path={route.path}>
      {page(person, route.path)}
    </Shell>
  )
}

function page(me: Me, path: string): ReactNode {
  if (path === '/' || path === '/plans') return <PlansPage me={me} planId={null} />
  const plan = match('/plans/:id', path)
  if (plan !== null) return <PlansPage me={me} planId={plan.id ?? null} />
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <a href="#/">Go home</a>.
      </p>
    </>
  )
}

function Shell({ me, path, children }: { me: Me; path: string; children: ReactNode }) {
  const queries = useQueryClient()
  const items = NAV.filter((item) => item.show(me))
  void canSeeTeam
  void isExecutive
  void isFinance
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Followthrough</span>
        <nav aria-label="Main">
          {items.map((item) => (
            <a
              key={item.path}
              href={`#${item.path}`}
              aria-current={path === item.path || path.startsWith(`${item.path}/`) ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <div className="row">
          <span>
            {me.name || me.email} · {me.role}
          </span>
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              await api.post('/auth/logout')
              await queries.invalidateQueries({ queryKey: ['me'] })
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  )
}
