import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { claimServer, serveWith } from '../time/activity.ts';
import type { EmulatedClock } from '../time/emulated-clock.ts';
import { roleArn } from './alibaba/sts/model.ts';
import type { World } from './world.ts';

/**
 * An ECS instance's metadata service on loopback, in hardened mode (IMDSv2 only), serving its RAM
 * role's key as aliyun/credentials-nodejs src/providers/ecs_ram_role.ts (f61774c7) reads it:
 * `PUT /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds` (1–21600) answers a token;
 * `GET /latest/meta-data/ram/security-credentials/` the role's name and `…/<role>` its key
 * (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`, `LastUpdated`, `Code: Success`),
 * each only with a valid `X-aliyun-ecs-metadata-token` (401 otherwise). The key is a session of
 * the role in the instance's account, issued by the emulated STS, so it signs like any other.
 */
const MAX_TTL_SECONDS = 21600;
// How long an instance role's key lasts (the library renews it an hour ahead: PREFETCH_TIME).
const SESSION_SECONDS = 6 * 3600;

export interface EcsInstance {
  accountId: string;
  instanceId: string;
  roleName: string;
}

export async function startEcsMetadata(
  world: World,
  clock: EmulatedClock,
  instance: EcsInstance,
): Promise<{ url: string; close(): Promise<void> }> {
  const tokens = new Map<string, number>();
  const role = world.sts.role(roleArn(instance.accountId, instance.roleName));
  if (!role) throw new Error(`no role ${instance.roleName} in account ${instance.accountId}`);
  const server = createServer(
    serveWith(clock, (req, res) => {
      const send = (status: number, body: string, type = 'text/plain') => {
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      };
      const path = new URL(req.url ?? '/', 'http://metadata').pathname;
      if (req.method === 'PUT' && path === '/latest/api/token') {
        const ttl = Number(req.headers['x-aliyun-ecs-metadata-token-ttl-seconds']);
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) return send(400, 'invalid ttl');
        const token = randomBytes(24).toString('base64url');
        tokens.set(token, world.now() + ttl * 1000);
        return send(200, token);
      }
      const token = String(req.headers['x-aliyun-ecs-metadata-token'] ?? '');
      if (req.method !== 'GET' || !((tokens.get(token) ?? 0) > world.now())) return send(401, 'Unauthorized');
      const prefix = '/latest/meta-data/ram/security-credentials/';
      if (path === prefix) return send(200, role.roleName);
      if (path === `${prefix}${role.roleName}`) {
        const session = world.sts.issue(role, instance.instanceId, SESSION_SECONDS, world.now());
        const c = session.Credentials;
        const body = { ...c, LastUpdated: new Date(world.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'), Code: 'Success' };
        return send(200, JSON.stringify(body), 'application/json');
      }
      return send(404, 'Not Found');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  claimServer(clock, server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
