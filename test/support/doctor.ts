import { expect } from 'vitest';
import { DEMO } from '../../local/emulators/fixtures.ts';
import type { Stack } from '../../local/stack.ts';
import { isWrite } from './calls.ts';

/** The doctor's checks, in report order, for a spec without `assumeRole`. */
export const CHECKS = [
  'account',
  'privatelink.activated',
  'privatezone.opened',
  'privatelink.service-role',
  'endpoint-service',
  'permissions.create-endpoint',
  'quota.endpoints-per-vpc',
  'quota.zones-per-endpoint',
  'quota.private-zones',
  'vswitch.free-ips',
  'zilliz.project',
  'zilliz.clusters',
];

/** Calls that changed something: a write action sent without DryRun (a dry run changes nothing, by definition and in the emulator). */
export const writesAt = (s: Stack) => s.emulators.calls.calls.filter((c) => isWrite(c) && c.params?.DryRun !== true);

/** The demo account re-seeded through the admin API, as a test or a person at a running stack would. */
export async function reseedAccount(s: Stack, account: Record<string, unknown>, zilliz?: Record<string, unknown>) {
  const body = {
    accounts: [
      { accountId: DEMO.accountId, accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret }], ...account },
    ],
    ...(zilliz ? { zilliz } : {}),
  };
  const r = await fetch(`${s.file.adminUrl}/seed`, { method: 'POST', body: JSON.stringify(body) });
  expect(r.status).toBe(200);
}
