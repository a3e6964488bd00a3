import { sample } from './bounded.ts';
import { clusterTargets } from './cluster-targets.ts';
import { StepFailure, type Step } from './types.ts';

const CONNECT_TIMEOUT_MS = 3000;

/**
 * From inside the VPC: each private-link hostname resolves (through the CNAME to the endpoint's
 * domain) to the endpoint's zone addresses only, and the cluster port accepts a TCP connection
 * on each of them. The network is injected: the VPC's resolver in the cloud, the stack's
 * address map locally; the check is the same.
 */
export const verify: Step = async ({ spec, state }, deps) => {
  const { zoneIps, endpointDomain, port } = state;
  if (!zoneIps || !endpointDomain || !port) throw new StepFailure('State.Incomplete', 'nothing to verify: earlier steps did not run');
  const blind = deps.network.cannotSee(spec.vpcId);
  if (blind) {
    deps.log.warn('verify.skipped', { vpcId: spec.vpcId, reason: blind });
    const { verified: _stale, verifiedCount: _count, ...rest } = state;
    return { state: { ...rest, unverified: { vpcId: spec.vpcId, reason: blind } } };
  }
  // Read back from Zilliz, not carried in state (bounded.ts); the state keeps the first few answers and a count.
  const clusters = await clusterTargets(spec, deps);
  const expected = new Set(zoneIps.map((z) => z.ip));
  const verified = [];
  for (const cluster of clusters) {
    const answer = await deps.network.resolve(cluster.host, spec.vpcId).catch((e: Error) => {
      throw new StepFailure('Verify.DnsFailed', `${cluster.host} does not resolve from ${spec.vpcId}: ${e.message}`);
    });
    if (!answer.cnames.map((c) => c.replace(/\.$/, '')).includes(endpointDomain)) {
      throw new StepFailure(
        'Verify.DnsMismatch',
        `${cluster.host} resolves via ${answer.cnames.join(' → ') || 'no CNAME'}, not the endpoint domain ${endpointDomain}`,
      );
    }
    const stray = answer.addresses.filter((a) => !expected.has(a));
    if (answer.addresses.length === 0 || stray.length > 0) {
      throw new StepFailure(
        'Verify.DnsMismatch',
        `${cluster.host} resolves to ${answer.addresses.join(', ') || 'nothing'}; the endpoint's addresses are ${[...expected].join(', ')}`,
      );
    }
    const connections = [];
    for (const ip of answer.addresses) {
      const via = await deps.network.connect(ip, port, CONNECT_TIMEOUT_MS).catch((e: Error) => {
        throw new StepFailure('Verify.PortClosed', `${ip}:${port} (${cluster.host}) does not accept TCP connections: ${e.message}`);
      });
      connections.push({ address: `${ip}:${port}`, via });
    }
    verified.push({ host: cluster.host, resolver: answer.resolver, cname: answer.cnames, addresses: answer.addresses, connections });
  }
  return { state: { ...state, verified: sample(verified), verifiedCount: verified.length } };
};
