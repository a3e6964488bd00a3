import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import type { CallLog } from '../call-log.ts';
import type { FaultBook } from '../faults.ts';
import type { World } from '../world.ts';

/**
 * Zilliz Cloud's control plane (REST v2) for private links: bearer API keys, the
 * `{code, data}` envelope, documented 96xxx codes, paging and 20 requests/s per key and route.
 */

/** Documented codes (docs.zilliz.com "Error Codes (v2)"). */
const CODE = {
  invalidRegion: 96001,
  invalidProject: 96005,
  invalidPageSize: 96008,
  invalidCurrentPage: 96009,
  noProjectPermission: 96012,
  noClusterPermission: 96016,
  clusterNotFound: 96018,
  planNotEligible: 96028,
};
/** Not in the documented list: auth, rate limit and bad-argument codes are assumed. */
const ASSUMED = { invalidToken: 80001, rateLimited: 90011, invalidArgument: 96040 };

type Env = { Bindings: { incoming: IncomingMessage }; Variables: { scope: Set<string> } };

const param = (c: Context<Env>, name: string): string => c.req.param(name) ?? '';

class ZillizFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus = 200,
  ) {
    super(message);
  }
}

/** `in03-` clusters are Free and `in05-` Serverless (the Terraform provider's DescribeCluster; zdoc_cn describe-cluster). */
const sharedPlanOf = (clusterId: string): string | undefined =>
  clusterId.startsWith('in03-') ? 'Free' : clusterId.startsWith('in05-') ? 'Serverless' : undefined;
const isDedicated = (cluster: { clusterId: string; plan: string }) =>
  !sharedPlanOf(cluster.clusterId) && !/^(free|serverless)$/i.test(cluster.plan);

export function zillizApp(world: World, faults: FaultBook, log: CallLog): Hono<Env> {
  const app = new Hono<Env>();
  const windows = new Map<string, number[]>();
  const z = world.zilliz;

  const project = (c: Context<Env>, projectId: string) => {
    if (!/^proj-[0-9a-f]+$/.test(projectId))
      throw new ZillizFailure(CODE.invalidProject, 'Invalid projectId. The projectId should be like proj-xxxxxxxx.');
    if (!z.projects.has(projectId) || !c.get('scope').has(projectId)) {
      throw new ZillizFailure(CODE.noProjectPermission, "You don't have permission for this project.");
    }
  };
  const region = (regionId: unknown): string => {
    const id = String(regionId ?? '');
    if (!world.privatelink.serviceInRegion(id.replace(/^ali-/, '')) || !id.startsWith('ali-')) {
      throw new ZillizFailure(
        CODE.invalidRegion,
        'Invalid RegionId. Please use the ListCloudRegions API to obtain a list of supported regionIds.',
      );
    }
    return id;
  };
  const ok = (c: Context<Env>, data: unknown) => c.json({ code: 0, data });

  const sentParams = async (c: Context<Env>): Promise<Record<string, unknown>> => {
    const body = c.req.method === 'GET' || c.req.method === 'DELETE' ? undefined : await c.req.json().catch(() => undefined);
    return { ...c.req.param(), ...c.req.query(), ...(body && typeof body === 'object' ? (body as Record<string, unknown>) : {}) };
  };

  // One wrapper for auth, rate limit, faults, the call log and the error envelope.
  const route =
    (operation: string, run: (c: Context<Env>) => Promise<Response> | Response) =>
    async (c: Context<Env>): Promise<Response> => {
      const requestId = world.ids.requestId().toLowerCase();
      c.header('requestid', requestId);
      let fault: string | undefined;
      // What was sent (path, query and JSON body), so the call log sees every parameter, refused calls too.
      const params = await sentParams(c);
      const answered = log.begin('zilliz');
      try {
        const key = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
        const scope = key ? z.apiKeys.get(key) : undefined;
        if (!scope) throw new ZillizFailure(ASSUMED.invalidToken, 'Invalid token: the API key is missing or not valid.', 401);
        c.set('scope', scope);
        const window = `${key}|${c.req.routePath}`;
        const now = world.now();
        const recent = (windows.get(window) ?? []).filter((t) => t > now - 1000);
        if (recent.length >= 20)
          throw new ZillizFailure(ASSUMED.rateLimited, 'Rate limit exceeded: 20 requests per second per endpoint.', 429);
        recent.push(now);
        windows.set(window, recent);
        const played = await faults.apply(operation, world.clock, params);
        const lostReply = played.lostReply;
        if (played.error) {
          fault = played.error.code ?? 'injected';
          throw new ZillizFailure(
            Number(played.error.code ?? 500) || 500,
            played.error.message ?? 'Injected fault.',
            played.error.httpStatus ?? 503,
          );
        }
        world.settle();
        const response = await run(c);
        log.record({
          time: world.now(),
          service: 'zilliz',
          product: 'zilliz',
          action: operation,
          ok: true,
          httpStatus: 200,
          params,
          fault: lostReply ? 'lostReply' : fault,
        });
        if (lostReply) c.env.incoming.socket.destroy();
        return response;
      } catch (e) {
        const failure = e instanceof ZillizFailure ? e : new ZillizFailure(500, 'Internal error.', 500);
        if (!(e instanceof ZillizFailure)) console.error('emulator bug:', e);
        log.record({
          time: world.now(),
          service: 'zilliz',
          product: 'zilliz',
          action: operation,
          ok: false,
          httpStatus: failure.httpStatus,
          code: String(failure.code),
          params,
          fault,
        });
        return c.json({ code: failure.code, message: failure.message }, failure.httpStatus as 200);
      } finally {
        answered();
      }
    };

  const body = async (c: Context<Env>): Promise<Record<string, unknown>> => {
    try {
      const parsed = await c.req.json();
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
    } catch {
      /* fall through */
    }
    throw new ZillizFailure(ASSUMED.invalidArgument, 'The request body must be a JSON object.', 400);
  };

  app.get(
    '/v2/privateEndpointServices',
    route('endpointServices', (c) => {
      const regionId = region(c.req.query('regionId'));
      const service = world.privatelink.serviceInRegion(regionId.slice(4))!;
      // Zilliz does not say whether `endpointService` is Alibaba's ServiceName or ServiceId: the seed picks.
      const endpointService = service.reportedAs === 'serviceId' ? service.serviceId : service.serviceName;
      return ok(c, { endpointServices: [{ regionId, cloudId: 'ali', endpointService, whitelistRequired: true }] });
    }),
  );

  app.post(
    '/v2/projects/:projectId/privateEndpointWhitelist',
    route('allowlistAccount', async (c) => {
      project(c, param(c, 'projectId'));
      const b = await body(c);
      const regionId = region(b.regionId);
      if (typeof b.outerUserId !== 'string' || !/^\d{10,20}$/.test(b.outerUserId)) {
        throw new ZillizFailure(ASSUMED.invalidArgument, 'outerUserId must be the numeric Alibaba Cloud main account ID.', 400);
      }
      const { repeat } = world.allowlist(param(c, 'projectId'), regionId, b.outerUserId);
      // How a repeat is answered is undocumented: success, unless the seed says otherwise.
      const answer = repeat ? z.projects.get(param(c, 'projectId'))?.allowlistRepeat : undefined;
      if (answer) throw new ZillizFailure(answer.code, answer.message);
      return ok(c, 'success');
    }),
  );

  app.post(
    '/v2/projects/:projectId/privateEndpoints',
    route('registerEndpoint', async (c) => {
      const projectId = param(c, 'projectId');
      project(c, projectId);
      const b = await body(c);
      const regionId = region(b.regionId);
      const endpointId = String(b.endpointId ?? '');
      const dedicated = [...z.clusters.values()].some((cl) => cl.projectId === projectId && cl.regionId === regionId && isDedicated(cl));
      if (!dedicated)
        throw new ZillizFailure(CODE.planNotEligible, 'The plan of this project is not eligible for private link in this region.');
      const ep = world.privatelink.endpoints.get(endpointId);
      const service = world.privatelink.serviceInRegion(regionId.slice(4));
      if (!ep || ep.regionId !== regionId.slice(4) || ep.serviceId !== service?.serviceId) {
        throw new ZillizFailure(
          ASSUMED.invalidArgument,
          `Endpoint ${endpointId} does not exist or does not connect to the Zilliz endpoint service of ${regionId}.`,
          400,
        );
      }
      if (!z.allowlist.has(`${projectId}|${regionId}|${ep.accountId}`)) {
        throw new ZillizFailure(
          ASSUMED.invalidArgument,
          `The endpoint's account ${ep.accountId} is not allowlisted for this project in ${regionId}.`,
          400,
        );
      }
      const registrations = z.registrations.get(projectId) ?? new Map();
      z.registrations.set(projectId, registrations);
      if (!registrations.has(endpointId)) registrations.set(endpointId, { endpointId, regionId, registeredAt: world.now() });
      return ok(c, { endpointId, regionId });
    }),
  );

  app.get(
    '/v2/projects/:projectId/privateEndpoints',
    route('listEndpoints', (c) => {
      const projectId = param(c, 'projectId');
      project(c, projectId);
      const pageSize = Number(c.req.query('pageSize') ?? 10);
      const currentPage = Number(c.req.query('currentPage') ?? 1);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
        throw new ZillizFailure(CODE.invalidPageSize, 'The parameter value for pageSize should be between 1 and 100.');
      if (!Number.isInteger(currentPage) || currentPage < 1)
        throw new ZillizFailure(
          CODE.invalidCurrentPage,
          'The parameter currentPage should have a value between 1 and the maximum value of Int.',
        );
      const all = [...(z.registrations.get(projectId)?.values() ?? [])];
      const page = all.slice((currentPage - 1) * pageSize, currentPage * pageSize);
      return ok(c, {
        count: all.length,
        currentPage,
        pageSize,
        endpoints: page.map((r) => {
          // Zilliz documents no status values; the words come from the seed and are null while pending.
          const review = world.zillizReview(projectId, r);
          const words = z.projects.get(projectId)!.endpointStatusWords;
          const service = world.privatelink.serviceInRegion(r.regionId.slice(4));
          return {
            regionId: r.regionId,
            cloudId: 'ali',
            endpointService: service ? (service.reportedAs === 'serviceId' ? service.serviceId : service.serviceName) : null,
            // `Available` is the one literal seen (the Terraform provider's mock), and only once accepted here.
            endpointServiceStatus: review === 'accepted' ? 'Available' : null,
            endpointId: r.endpointId,
            endpointStatus: words[review],
          };
        }),
      });
    }),
  );

  app.delete(
    '/v2/projects/:projectId/privateEndpoints/:endpointId',
    route('deleteEndpoint', (c) => {
      const projectId = param(c, 'projectId');
      project(c, projectId);
      region(c.req.query('regionId'));
      const registrations = z.registrations.get(projectId);
      if (!registrations?.delete(param(c, 'endpointId'))) {
        throw new ZillizFailure(ASSUMED.invalidArgument, `Endpoint ${param(c, 'endpointId')} is not registered in this project.`, 400);
      }
      return ok(c, { endpointId: param(c, 'endpointId') });
    }),
  );

  app.get(
    '/v2/clusters/:clusterId',
    route('describeCluster', (c) => {
      const cluster = z.clusters.get(param(c, 'clusterId'));
      if (!cluster) throw new ZillizFailure(CODE.clusterNotFound, 'The specified cluster does not exist.');
      const scope = c.get('scope');
      if (!scope.has(cluster.projectId))
        throw new ZillizFailure(CODE.noClusterPermission, "You don't have permission for this cluster. Please check your Apikey scope.");
      const host = `${cluster.regionId}.vectordb.zilliz.com.cn`;
      // The v2 shape (zdoc_cn describe-cluster-v2): privateLinkAddress is "" until a private link is connected.
      return ok(c, {
        clusterId: cluster.clusterId,
        clusterName: cluster.clusterId,
        projectId: cluster.projectId,
        description: '',
        regionId: cluster.regionId,
        cuType: 'Performance-optimized',
        plan: sharedPlanOf(cluster.clusterId) ?? cluster.plan,
        status: cluster.status,
        connectAddress: `https://${cluster.clusterId}.${host}:${cluster.port}`,
        privateLinkAddress: isDedicated(cluster) ? world.privateLinkAddress(cluster) : '',
      });
    }),
  );

  app.notFound((c) => c.json({ code: 404, message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  return app;
}
