import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as z from '../shared/zod.ts';
import { CHANGES, type LinkPlan, type PlanItem } from '../shared/plan.ts';
import { parseLinkSpec, type LinkSpec } from '../shared/spec.ts';
import { linkPlan, savedPlan } from './json-output.ts';
import type { Target } from './target.ts';
import { ZPL_VERSION } from './version.ts';

/**
 * Saved plans, as Terraform's `plan -out` and `apply <planfile>`: the plan keeps the spec and a
 * digest of what it read; apply reads the world again and refuses when the digest differs, so
 * what is applied is what was reviewed (Terraform refuses a stale plan the same way:
 * https://developer.hashicorp.com/terraform/cli/commands/apply#apply-saved-plan). A change made
 * between that second read and the run itself is not caught: the run converges from what it finds.
 */

export type PlanView = z.infer<typeof linkPlan>;
export type SavedPlan = z.infer<typeof savedPlan>;

/** Exit code of `zpl apply <plan>` when the world changed since the plan (or it was made for another target). */
export const EXIT_STALE_PLAN = 4;

export class StalePlanError extends Error {}

/** JSON with keys sorted and lists of names sorted: reads that list the same things in another order digest alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.every((v) => typeof v === 'string') ? [...(items as string[])].sort() : items;
  }
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

type ViewItem = PlanView['items'][number];

/** What an item read, without its wording (`detail`, `risk` restate the same reads). */
const readOf = (i: ViewItem) => ({ action: i.action, kind: i.kind, id: i.id ?? null, before: i.before, after: i.after });

/** sha256 over what the plan read: the problems and each item's resource, before and after. */
export function planDigest(plan: Pick<PlanView, 'linkId' | 'problems' | 'items'>): string {
  const read = canonical({ linkId: plan.linkId, problems: plan.problems, items: plan.items.map(readOf) });
  return `sha256:${createHash('sha256').update(JSON.stringify(read)).digest('hex')}`;
}

/** A resource's kind for machines: its words in snake case (`CNAME record` → `cname_record`). */
export const kindOf = (resource: string) => resource.toLowerCase().replace(/[^a-z0-9]+/g, '_');

/** The plan as `zpl plan --json` shows it and a saved plan keeps it. */
export function planView(plan: LinkPlan): PlanView {
  const items = plan.items.map(({ action, ...rest }: PlanItem): ViewItem => ({ action, kind: kindOf(rest.resource), ...rest }));
  const view = { linkId: plan.linkId, problems: plan.problems, items };
  return { ...view, changes: items.filter((i) => CHANGES.includes(i.action)).length, digest: planDigest(view) };
}

export function writeSavedPlan(path: string, spec: LinkSpec, plan: PlanView, target: Target, now = new Date()): void {
  const saved: SavedPlan = {
    format: 'zpl-plan/1',
    zplVersion: ZPL_VERSION,
    createdAt: now.toISOString(),
    target: { kind: target.kind, region: target.region },
    spec,
    plan,
  };
  writeFileSync(path, `${JSON.stringify(saved, null, 2)}\n`);
}

/** A saved plan from a file, or why it is not one (the caller exits 2). */
export function readSavedPlan(path: string): { ok: true; saved: SavedPlan; spec: LinkSpec } | { ok: false; message: string } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, message: `cannot read ${path}: ${err.code ?? err.message}` };
  }
  const parsed = savedPlan.safeParse(data);
  if (!parsed.success) return { ok: false, message: `${path} is not a plan saved by zpl plan --out: ${z.prettifyError(parsed.error)}` };
  const spec = parseLinkSpec(parsed.data.spec);
  if (!spec.ok)
    return {
      ok: false,
      message: `${path} holds an invalid link spec: ${spec.errors.map((e) => `${e.field || '(spec)'}: ${e.message}`).join('; ')}`,
    };
  return { ok: true, saved: parsed.data, spec: spec.spec };
}

const itemLine = (i: ViewItem) => `${i.action} ${i.resource}${i.id ? ` ${i.id}` : ''}: ${i.detail}`;

/**
 * Refuses a saved plan the world no longer matches: another target, or a digest that differs
 * from a fresh read's (the items that differ are named). Returns the fresh plan otherwise.
 */
export function checkSavedPlan(path: string, saved: SavedPlan, fresh: PlanView, target: Target): void {
  const where = (t: { kind: string; region: string }) => `${t.kind} in ${t.region}`;
  if (saved.target.kind !== target.kind || saved.target.region !== target.region)
    throw new StalePlanError(
      `${path} was made against ${where(saved.target)}; this apply runs against ${where(target)}: run zpl plan again`,
    );
  if (fresh.digest === saved.plan.digest) return;
  const key = (i: ViewItem) => JSON.stringify(canonical(readOf(i)));
  const now = new Set(fresh.items.map(key));
  const then = new Set(saved.plan.items.map(key));
  const lines = [
    ...saved.plan.items.filter((i) => !now.has(key(i))).map((i) => `  planned:   ${itemLine(i)}`),
    ...fresh.items.filter((i) => !then.has(key(i))).map((i) => `  now:       ${itemLine(i)}`),
    ...fresh.problems.filter((p) => !saved.plan.problems.includes(p)).map((p) => `  now:       cannot work: ${p}`),
  ];
  throw new StalePlanError(
    [
      `the world changed since ${path} was made (${saved.createdAt}): it read ${saved.plan.digest}, now ${fresh.digest}; nothing was applied. Run zpl plan again.`,
      ...lines,
    ].join('\n'),
  );
}
