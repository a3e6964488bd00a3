import { StepFailure, type CreateTokens } from './types.ts';

/**
 * A create under a lifetime-stable ClientToken (createTokensFor), checked against what exists.
 *
 * A cloud answers a token it has seen with the first call's result ("the retry generates the same
 * result as the last request", https://www.alibabacloud.com/help/en/ecs/developer-reference/how-to-ensure-idempotence;
 * no expiry is stated). Within one lifetime that is the point: a late create of an earlier run is
 * the same create. But if what it made was deleted since — by hand, or by a teardown the run's
 * lifetime number does not count because CloudFlow no longer lists it (shared/link-runs.ts) — the
 * answer names a resource that is gone. The create is then sent once more under this run's own
 * token (tokensFor, naming the stale resource), which makes a new one; a cloud that forgot the
 * first token and created anew is fine too. Only a late reply to that second create would go
 * unrecognised by a later run; the security-group sweep removes what it leaves.
 */
export async function createOnce<T>(opts: {
  tokens: CreateTokens;
  step: string;
  /** The whole request: a changed request is a different create, never IdempotentParameterMismatch. */
  params: Record<string, unknown>;
  create: (clientToken: string) => Promise<T>;
  idOf: (created: T) => string;
  /** Whether the resource an answer names exists (and is not being deleted). */
  exists: (id: string) => Promise<boolean>;
}): Promise<{ created: T; stale?: string }> {
  const first = await opts.create(opts.tokens.lifetime(opts.step, opts.params));
  const stale = opts.idOf(first);
  if (await opts.exists(stale)) return { created: first };
  const again = await opts.create(opts.tokens.run(opts.step, { ...opts.params, after: stale }));
  if (await opts.exists(opts.idOf(again))) return { created: again, stale };
  throw new StepFailure(
    'Create.StaleIdempotentAnswer',
    `${opts.step}: the cloud answered with ${stale} and then ${opts.idOf(again)}, neither of which exists (deleted while this run created them?); a new run creates afresh`,
  );
}
