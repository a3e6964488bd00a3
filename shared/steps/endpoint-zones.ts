import { isAliyunError } from '../aliyun/errors.ts';
import { LINGER_MS, MIN_POLL_SECONDS } from './polling.ts';
import type { Change, StepDeps, Tokens } from './types.ts';

/**
 * Converges the zones of zpl's own endpoint on the spec: adds the ones it lacks, then removes the
 * ones the spec dropped (each stops being billed and releases its network interface). Added first,
 * so a swapped zone never leaves the endpoint with fewer zones than the spec asks for; removed only
 * once every wanted zone is there, so the endpoint never loses its last zone.
 *
 * One zone at a time: "AddZoneToVpcEndpoint接口不支持给同一个终端节点实例并发添加可用区" and
 * RemoveZoneFromVpcEndpoint "不支持给同一个终端节点实例并发删除可用区" (metadata; PrivateLink answers
 * ConcurrentCallNotSupported). Before each next zone it waits, within this invocation (at most
 * LINGER_MS), until ListVpcEndpointZones shows no zone in flux; only while the endpoint is Active.
 * What is not done by then is left for the next run, which finds it again, and said so.
 */

/** A zone being added or removed keeps the endpoint busy for other zone operations. */
const ZONE_IN_FLUX = new Set(['Creating', 'Deleting']);
/** The endpoint is busy with another change: try again later (the transport retries briefly first). */
const BUSY = /^(ConcurrentCallNotSupported|EndpointLocked|EndpointOperationDenied)$/;

export interface WantedZone {
  zoneId: string;
  vSwitchId: string;
}

interface ZoneOp {
  zoneId: string;
  kind: 'add' | 'remove';
  /** Makes the call; a zone already as wanted (a lost reply's retry) counts as done. */
  run: () => Promise<void>;
}

/** What the endpoint has against what is wanted (a zone being deleted is already going). */
export function zoneDiff<Z extends { ZoneId: string; ZoneStatus: string }>(have: Z[], wanted: WantedZone[]) {
  const present = have.filter((z) => z.ZoneStatus !== 'Deleting');
  return {
    missing: wanted.filter((w) => !present.some((z) => z.ZoneId === w.zoneId)),
    extra: present.filter((z) => !wanted.some((w) => w.zoneId === z.ZoneId)),
  };
}

export async function convergeZones(
  deps: StepDeps,
  token: Tokens,
  step: string,
  endpoint: { id: string; status: string },
  wanted: WantedZone[],
): Promise<Change[]> {
  const have = await deps.aliyun.privateLink.endpointZones(endpoint.id);
  const { missing, extra } = zoneDiff(have, wanted);
  const id = endpoint.id;
  if (missing.length + extra.length === 0) return [];
  if (endpoint.status !== 'Active') {
    const what = [...missing.map((z) => `adding ${z.zoneId}`), ...extra.map((z) => `removing ${z.ZoneId}`)].join(', ');
    return [
      { step, action: 'kept', resource: 'endpoint zones', id, note: `${what} left for the next run (the endpoint is ${endpoint.status})` },
    ];
  }
  const pl = deps.aliyun.privateLink;
  const ops: ZoneOp[] = [
    ...missing.map((z) => ({
      zoneId: z.zoneId,
      kind: 'add' as const,
      run: () => ignoring(/^EndpointZoneDuplicated$/, pl.addZone(id, z, token(`zone-${z.zoneId}`, z))),
    })),
    ...extra.map((z) => ({
      zoneId: z.ZoneId,
      kind: 'remove' as const,
      run: () => ignoring(/^EndpointZoneNotFound$/, pl.removeZone(id, z.ZoneId, token(`drop-zone-${z.ZoneId}`, { id }))),
    })),
  ];
  const { done, left } = await oneAtATime(deps, id, ops);
  const zonesOf = (list: ZoneOp[], kind: ZoneOp['kind']) => list.filter((o) => o.kind === kind).map((o) => o.zoneId);
  const leftOver = (zones: string[], why: string) => (zones.length ? `${zones.join(', ')} left for the next run (${why})` : '');
  const changes: Change[] = [];
  if (missing.length) {
    const note = [`added ${zonesOf(done, 'add').join(', ') || 'none'}`, leftOver(zonesOf(left, 'add'), 'the endpoint was still busy')];
    changes.push({ step, action: 'updated', resource: 'endpoint zones', id, note: note.filter(Boolean).join('; ') });
  }
  if (extra.length) {
    const eni = (zoneId: string) => extra.find((z) => z.ZoneId === zoneId)?.EniIp;
    const removed = zonesOf(done, 'remove').map((z) => (eni(z) ? `${z} (ENI ${eni(z)} released)` : z));
    const why = zonesOf(left, 'add').length ? 'zones are still being added' : 'the endpoint was still busy';
    const note = [removed.length ? `removed ${removed.join(', ')}` : '', leftOver(zonesOf(left, 'remove'), why)];
    changes.push({
      step,
      action: removed.length ? 'removed' : 'kept',
      resource: 'endpoint zones',
      id,
      note: note.filter(Boolean).join('; '),
    });
  }
  return changes;
}

async function ignoring(code: RegExp, call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (e) {
    if (!isAliyunError(e, code)) throw e;
  }
}

/** Runs the operations in order, each once the previous has settled; stops at the first busy answer or when the linger is spent. */
async function oneAtATime(deps: StepDeps, endpointId: string, ops: ZoneOp[]): Promise<{ done: ZoneOp[]; left: ZoneOp[] }> {
  const started = deps.clock.now();
  const done: ZoneOp[] = [];
  for (const op of ops) {
    // Removals wait for every add: the endpoint keeps the zones the spec wants before losing any.
    if (op.kind === 'remove' && done.length < ops.filter((o) => o.kind === 'add').length) break;
    if (done.length > 0 && !(await zonesSettled(deps, endpointId, started))) break;
    try {
      await op.run();
    } catch (e) {
      if (isAliyunError(e, BUSY)) break;
      throw e;
    }
    done.push(op);
  }
  return { done, left: ops.slice(done.length) };
}

async function zonesSettled(deps: StepDeps, endpointId: string, started: number): Promise<boolean> {
  for (;;) {
    const zones = await deps.aliyun.privateLink.endpointZones(endpointId);
    if (!zones.some((z) => ZONE_IN_FLUX.has(z.ZoneStatus))) return true;
    if (deps.clock.now() - started + MIN_POLL_SECONDS * 1000 > LINGER_MS) return false;
    const before = deps.clock.now();
    await deps.clock.sleep(MIN_POLL_SECONDS * 1000);
    // A clock that did not move (time stopped in a test) leaves the rest to the next run.
    if (deps.clock.now() === before) return false;
  }
}
