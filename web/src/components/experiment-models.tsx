// The registered versions made from one experiment, for its page.
import { useEffect, useState } from 'react'
import { type ModelVersionView, modelsApi } from '../lib/models-api'
import { href } from '../lib/route'
import { ModelStateMark } from './model-state'

/** A card listing `name/version @aliases` for each version registered from `exp`; nothing when none. */
export function ExperimentModels({ exp }: { exp: string }) {
  const [versions, setVersions] = useState<ModelVersionView[]>([])
  useEffect(() => {
    let live = true
    modelsApi.ofExperiment(exp).then(
      (r) => live && setVersions(r.versions),
      () => live && setVersions([]),
    )
    return () => {
      live = false
    }
  }, [exp])
  if (versions.length === 0) return null
  return (
    <div className="card" data-testid="exp-models">
      <h2>Registered models</h2>
      <table className="kv files">
        <tbody>
          {versions.map((v) => (
            <tr key={`${v.name}/${v.version}`} data-testid="exp-model-row">
              <td>
                <a href={href(`/models/${encodeURIComponent(v.name)}`)}>
                  {v.name}/{v.version}
                </a>
              </td>
              <td>
                {v.aliases.map((a) => (
                  <span key={a} className="kind">
                    @{a}
                  </span>
                ))}
              </td>
              <td className="mono path" title={v.path}>
                {v.path}
              </td>
              <td>
                <ModelStateMark state={v.state} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
