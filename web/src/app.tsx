// The shell: a top bar with navigation and the page the hash names.
import { useEffect, useState } from 'react'
import { api } from './lib/api'
import { href, useRoute } from './lib/route'
import { useSelection } from './lib/selection'
import { ChartsPage } from './pages/charts-page'
import { ComparePage } from './pages/compare-page'
import { ExperimentPage } from './pages/experiment-page'
import { ExperimentsPage } from './pages/experiments-page'
import { HparamsPage } from './pages/hparams-page'
import { ModelsPage } from './pages/models-page'
import { SweepPage } from './pages/sweep-page'

function Page() {
  const { path } = useRoute()
  if (path.startsWith('/exp/')) return <ExperimentPage name={decodeURIComponent(path.slice(5))} />
  if (path === '/charts') return <ChartsPage />
  if (path === '/compare') return <ComparePage />
  if (path === '/hparams') return <HparamsPage />
  if (path === '/sweeps' || path.startsWith('/sweeps/')) return <SweepPage name={path.length > 8 ? decodeURIComponent(path.slice(8)) : undefined} />
  if (path === '/models' || path.startsWith('/models/')) return <ModelsPage name={path.length > 8 ? decodeURIComponent(path.slice(8)) : undefined} />
  return <ExperimentsPage />
}

/** The whole app. */
export function App() {
  const { path } = useRoute()
  const selection = useSelection()
  const [db, setDb] = useState('')
  useEffect(() => {
    api.health().then(
      (h) => setDb(`${h.db} · mldb ${h.package ?? ''}`),
      () => setDb('server unreachable'),
    )
  }, [])
  const tab = (p: string, label: string, testid: string, to: string = href(p)) => (
    <a href={to} className={path === p ? 'tab active' : 'tab'} data-testid={testid}>
      {label}
    </a>
  )
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href={href('/')}>
          mldb
        </a>
        <nav className="tabs">
          {tab('/', 'Experiments', 'nav-table')}
          {tab('/charts', 'Charts', 'nav-charts', href('/charts', { exp: [...selection] }))}
          {tab('/compare', 'Compare', 'nav-compare', href('/compare', { exp: [...selection] }))}
          {tab('/hparams', 'Hyperparameters', 'nav-hparams')}
          {tab('/models', 'Models', 'nav-models')}
          {tab('/sweeps', 'Sweeps', 'nav-sweeps')}
        </nav>
        <span className="spacer" />
        <span className="muted small mono db-path" title={db}>
          {db}
        </span>
      </header>
      <main>
        <Page />
      </main>
    </div>
  )
}
