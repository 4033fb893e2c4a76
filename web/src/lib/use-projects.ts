// The projects for the table's picker, most recently active first. The table opens
// on the first one (issue 16: the project someone is working in now), unless the
// link names a project or asks for all of them (`all=1`).
import { useEffect, useState } from 'react'
import { api } from './api'

/** A project as the picker lists it. */
export interface ProjectItem {
  name: string
  count: number
  /** latest activity (ms); undefined from a server that cannot tell (the list is then by name) */
  latestAt: number | undefined
}

/** The projects, or undefined while loading. */
export function useProjects(): ProjectItem[] | undefined {
  const [projects, setProjects] = useState<ProjectItem[] | undefined>()
  useEffect(() => {
    api.projectsByActivity().then(
      (r) => setProjects(r.projects.map((p) => ({ ...p, latestAt: p.latestAt }))),
      // a team server answers only the plain list: no default project then
      () =>
        api.projects().then(
          (r) => setProjects(r.projects.map((p) => ({ ...p, latestAt: undefined }))),
          () => setProjects([]),
        ),
    )
  }, [])
  return projects
}

/**
 * The project the table shows: the link's, all (''), or with neither the most recently
 * active one when there are several; undefined while the projects load (so the table
 * does not load every project first and then one).
 */
export function tableProject(query: URLSearchParams, projects: ProjectItem[] | undefined): string | undefined {
  const named = query.get('project')
  if (named) return named
  if (query.get('all') === '1') return ''
  if (!projects) return undefined
  const first = projects[0]
  return projects.length > 1 && first?.latestAt !== undefined ? first.name : ''
}
