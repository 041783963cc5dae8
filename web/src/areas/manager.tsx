import { CoachingPage } from '../pages/manager/coaching-page.tsx'
import { DisputesPage } from '../pages/manager/disputes-page.tsx'
import { FollowThroughQueue } from '../pages/manager/follow-through-queue.tsx'
import { Leaderboard } from '../pages/manager/leaderboard.tsx'
import { TeamBoard } from '../pages/manager/team-board.tsx'
import { EVERYONE, type AreaPage } from './area.ts'

/** The manager's pages: the team board, the leaderboard. */
export const managerPages: readonly AreaPage[] = [
  {
    path: '/team',
    nav: 'Team',
    roles: ['owner', 'admin', 'finance', 'manager'],
    homeFor: ['manager'],
    render: () => <TeamBoard />,
  },
  {
    path: '/follow-through',
    nav: 'Follow-through',
    roles: ['owner', 'admin', 'manager'],
    render: (_p, me) => <FollowThroughQueue me={me} />,
  },
  {
    path: '/coaching',
    nav: 'Coaching',
    roles: ['owner', 'admin', 'manager'],
    render: () => <CoachingPage />,
  },
  {
    path: '/disputes',
    nav: 'Disputes',
    roles: ['owner', 'admin', 'manager'],
    render: () => <DisputesPage />,
  },
  { path: '/leaderboard', nav: 'Leaderboard', roles: EVERYONE, render: () => <Leaderboard /> },
]
