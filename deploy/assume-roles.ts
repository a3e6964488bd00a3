import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { S_YAML } from '../local/deployed-functions.ts';

/**
 * The roles a deployment's functions may take on for a link's `assumeRole`: `vars.assumeRoles` in
 * s.yaml (comma-separated role ARNs, `*` wildcards), which s.yaml hands the step functions as
 * ZPL_ASSUME_ROLES and `zpl build` grants as `sts:AssumeRole` in dist/ram/zpl-steps.json; none
 * unless listed. `--assume-roles` / ZPL_ASSUME_ROLES win at build time.
 */
export function configuredAssumeRoles(file = S_YAML): string[] {
  if (!existsSync(file)) return [];
  const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as { vars?: { assumeRoles?: unknown } };
  return splitRoles(typeof doc.vars?.assumeRoles === 'string' ? doc.vars.assumeRoles : '');
}

export const splitRoles = (value: string): string[] =>
  value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
