import { pool, READS_AT_ONCE, together } from '../pool.ts';
import { hasPublishedHostLayout } from '../regions.ts';
import { parsePrivateLinkAddress } from '../zilliz/address.ts';
import type { ZillizPrivateEndpoint } from '../zilliz/client.ts';
import { lingerUntilReady, waitStep } from './polling.ts';
import { StepFailure, type LinkState, type Step, type StepDeps } from './types.ts';
import { clusterTarget } from './validate.ts';
import type { LinkSpec } from '../spec.ts';

/**
 * Zilliz documents no private-endpoint status values (cloud-facts §7: `accepted` appears only in
 * the Terraform provider's mock, client/endpoint_test.go) and its fields may be null while
 * pending. So Zilliz's status never decides readiness; it only lets us notice a refusal early.
 * Readiness is Alibaba's `ConnectionStatus: Connected` (GetVpcEndpointAttribute; the guide:
 * "终端节点的连接状态变为已连接").
 */
const REFUSED = /reject|refuse|denied|deny|fail|拒绝|失败/i;

/**
 * A registration missing from Zilliz's list is given this long to appear (the Terraform
 * provider reads the list right after registering, so it normally shows at once); after that it
 * has vanished (deleted in the console, say) and waiting out the deadline would only hide it.
 */
export const REGISTRATION_GRACE_MS = 120_000;

const statusOf = (listed: ZillizPrivateEndpoint | undefined) => (listed ? (listed.endpointStatus ?? 'no status yet') : 'not listed');

/** Waits until Alibaba shows the endpoint `Connected`, failing early if Zilliz refuses or drops the registration. */
export const checkConnection: Step = async ({ spec, state }, deps) => {
  const id = state.endpointId;
  if (!id) throw new StepFailure('State.Incomplete', 'no endpoint: the EnsureEndpoint step did not run');
  const { ep, zillizStatus, ready, since } = await lingerUntilReady(deps.clock, state, 'connection', async () => {
    const [zilliz, found] = await together([
      () => deps.zilliz.listEndpoints(spec.projectId),
      () => deps.aliyun.privateLink.getEndpoint(id),
    ]);
    const listed = zilliz.find((e) => e.endpointId === id);
    if (listed?.endpointStatus && REFUSED.test(listed.endpointStatus)) {
      throw new StepFailure(
        'Zilliz.Rejected',
        `Zilliz ${listed.endpointStatus} endpoint ${id} for project ${spec.projectId}; contact Zilliz support`,
      );
    }
    if (!found) throw new StepFailure('Endpoint.Gone', `endpoint ${id} does not exist`);
    return { ep: found, zillizStatus: statusOf(listed), ready: found.ConnectionStatus === 'Connected' };
  });
  const now = deps.clock.now();
  if (!ready && zillizStatus === 'not listed' && now - since >= REGISTRATION_GRACE_MS) {
    throw new StepFailure(
      'Zilliz.NotRegistered',
      `endpoint ${id} is not registered with Zilliz project ${spec.projectId} (Alibaba ConnectionStatus: ${ep.ConnectionStatus}); run the provision flow again to register it`,
    );
  }
  const hosts = ready ? await assignedHosts(spec, state, deps) : undefined;
  const done = ready && hosts!.waitingFor.length === 0;
  const waitingFor = ready
    ? `Zilliz to assign the private-link address of ${hosts!.waitingFor.join(', ')} (no hostname layout is published for ${spec.region})`
    : `endpoint ${id} to connect (Alibaba: ${ep.ConnectionStatus}, Zilliz: ${zillizStatus})`;
  const polled = waitStep(state, 'connection', spec.deadlines.connectionSeconds, now, done, waitingFor, since);
  if (polled.expired) {
    throw ready
      ? new StepFailure(
          'Wait.PrivateLinkAddress',
          `Zilliz assigned no private-link address to ${hosts!.waitingFor.join(', ')} within ${spec.deadlines.connectionSeconds}s of endpoint ${id} connecting`,
        )
      : new StepFailure(
          'Wait.ConnectionNotReady',
          `endpoint ${id} was not connected after ${spec.deadlines.connectionSeconds}s (Zilliz: ${zillizStatus}, Alibaba ConnectionStatus: ${ep.ConnectionStatus})`,
        );
  }
  if (!done) return { state: polled.state, wait: polled.wait };
  const zones = await deps.aliyun.privateLink.endpointZones(id);
  return {
    state: { ...polled.state, zoneIps: zones.map((z) => ({ zoneId: z.ZoneId, ip: z.EniIp, domain: z.ZoneDomain })) },
    wait: polled.wait,
  };
};

/**
 * Once connected, the hostnames Zilliz assigned (describe cluster's `privateLinkAddress`,
 * "Zilliz Cloud 将根据提交的信息为您的集群分配一个域名前缀") replace the ones Validate derived, so the
 * DNS records name the host clients will use. Where the guide publishes no layout, the flow
 * waits for the assignment instead of guessing. An assigned port the security group does not
 * allow stops the run with what to do.
 */
async function assignedHosts(spec: LinkSpec, state: LinkState, deps: StepDeps): Promise<{ waitingFor: string[] }> {
  const waitingFor: string[] = [];
  // Read here and again by EnsureDns (cluster-targets.ts), not carried in state: state stays O(1) in clusters.
  // At most READS_AT_ONCE at a time; the first that fails (or finds a changed port) stops the others.
  await pool(spec.clusters, READS_AT_ONCE, async (clusterId) => {
    const c = await deps.zilliz.describeCluster(clusterId);
    const assigned = parsePrivateLinkAddress(c.privateLinkAddress);
    if (!assigned) {
      if (!hasPublishedHostLayout(spec.region)) waitingFor.push(clusterId);
      return;
    }
    if (assigned.port !== undefined && state.port !== undefined && assigned.port !== state.port) {
      const fix = spec.port
        ? `set port: ${assigned.port} in the spec`
        : 'run the provision flow again (Validate then reads the assigned port)';
      throw new StepFailure(
        'Zilliz.PortChanged',
        `Zilliz assigned cluster ${clusterId} the private-link address ${c.privateLinkAddress}, but the link was set up for port ${state.port}; ${fix}`,
      );
    }
    deps.log.info('connection.host', { clusterId, assigned: clusterTarget(spec, c).host });
  });
  return { waitingFor };
}
