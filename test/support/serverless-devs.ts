import { isAbsolute, join } from 'node:path';

/**
 * Serverless Devs 3's magic variables as `s` resolves them in a resource's props before the
 * component sees them (@serverless-devs/s 3.1.10, lib/index.js, the bundled parse-spec compile):
 * `${vars.x}` (a whole-string reference keeps the value's type), `${env('X')}` (an unset X fails),
 * `${env('X', 'd')}` (d unless d is null or undefined), `${path('p')}` (p joined to s.yaml's folder).
 * `config()` reads the `s config` credentials, which a test has none of: it fails.
 */
export interface MagicContext {
  vars: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** s.yaml's folder. */
  base: string;
}

const WHOLE_VAR = /^\$\{vars\.(\w+)\}$/;
const MAGIC = /\$\{(vars\.(\w+)|env\('(\w+)'(?:,\s*'([^']*)')?\)|path\('([^']+)'\)|config\('(\w+)'\))\}/g;

export function resolveMagic(value: unknown, ctx: MagicContext): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveMagic(v, ctx));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveMagic(v, ctx)]));
  if (typeof value !== 'string') return value;
  const whole = WHOLE_VAR.exec(value);
  if (whole) return ctx.vars[whole[1]!];
  return value.replace(MAGIC, (_m, _all, v?: string, envName?: string, envDefault?: string, path?: string, config?: string) => {
    if (v) return String(ctx.vars[v]);
    if (envName) {
      const set = ctx.env[envName];
      if (set) return set;
      if (envDefault !== undefined) return envDefault;
      throw new Error(`env('${envName}') not found`);
    }
    if (path) return isAbsolute(path) ? path : join(ctx.base, path);
    throw new Error(`config('${config}') not found`);
  });
}
