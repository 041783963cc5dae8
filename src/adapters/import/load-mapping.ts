import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Mapping } from '../../core/imports/mapping.ts'
import { parseMapping, type MappingIssue } from '../../core/imports/parse-mapping.ts'

const DIR = fileURLToPath(new URL('./mappings/', import.meta.url))

/** The names of the built-in mappings (`hubspot-deals`, …), sorted. */
export function builtInMappings(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort()
}

export type LoadedMapping =
  | { readonly ok: true; readonly mapping: Mapping; readonly file: string }
  | { readonly ok: false; readonly issues: readonly MappingIssue[] }
  | { readonly ok: false; readonly missing: string }

/**
 * A mapping by the name of a built-in one, or from a YAML file; its problems (FILE:LINE:COL) when
 * it does not check; `missing` when it is neither.
 */
export function loadMapping(nameOrFile: string): LoadedMapping {
  const builtIn = builtInMappings().includes(nameOrFile)
  const file = builtIn ? `${DIR}${nameOrFile}.yaml` : nameOrFile
  if (!builtIn && !existsSync(file)) {
    return {
      ok: false,
      missing: `--mapping ${nameOrFile}: there is no such file, nor a built-in mapping of that name (built-in: ${builtInMappings().join(', ')})`,
    }
  }
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    return {
      ok: false,
      missing: `--mapping ${nameOrFile}: cannot read the file: ${(error as Error).message}`,
    }
  }
  const shown = builtIn ? `${nameOrFile}.yaml` : file
  const { mapping, issues } = parseMapping(
    text,
    shown,
    builtIn ? nameOrFile : basename(file).replace(/\.ya?ml$/i, ''),
  )
  return mapping === null ? { ok: false, issues } : { ok: true, mapping, file: shown }
}
