import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../local/emulators/fixtures.ts';
import { linkId } from '../shared/derived.ts';
import { requireLinkSpec } from '../shared/spec.ts';
import { linkSpec, manyLinksSeed, projectOf, vpcOf } from './support/vpcs.ts';
import { http } from './support/http.ts';
import { stopZplUp, zpl, zplUp } from './support/zpl-cli.ts';

/**
 * Issue 14 as a new user meets it, through the CLI against `zpl up`: links of one project and cluster
 * from several VPCs, another cluster from a third VPC, a late AddZone reply and duplicates left behind,
 * a cluster dropped from a spec (plan shows the removal), drift, destroy. Counted in the emulator's state.
 */

type Zone = {
  zoneId: string;
  zoneName: string;
  remark?: string;
  bindings: { vpcId: string }[];
  records: { rr: string; value: string; remark?: string }[];
};

let stateDir: string;
let up: ChildProcess;
let admin: string;
let zillizUrl: string;
const specFile = (name: string, spec: unknown) => {
  const path = join(stateDir, `${name}.json`);
  writeFileSync(path, JSON.stringify(spec));
  return path;
};
const zones = async () => ((await http('GET', `${admin}/state`)).json as { zones: Zone[] }).zones;
const calls = async (since = 0) =>
  ((await http('GET', `${admin}/calls?since=${since}`)).json as { calls: { seq: number; action: string; fault?: string }[] }).calls;
const boundTo = (all: Zone[], vpcId: string) => all.filter((z) => z.bindings.some((b) => b.vpcId === vpcId));
const post = (path: string, body: unknown) => http('POST', `${admin}${path}`, body);

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'zpl-cli-dns-'));
  up = await zplUp(stateDir);
  const file = JSON.parse(readFileSync(join(stateDir, 'stack.json'), 'utf8')) as { adminUrl: string; zillizUrl: string };
  admin = file.adminUrl;
  zillizUrl = file.zillizUrl;
  // Three more VPCs of the account and a second Zilliz project with its own cluster.
  const seed = manyLinksSeed({ vpcs: 4, projects: 2 });
  expect(
    (await post('/seed', { accounts: seed.accounts, zilliz: { apiKeys: seed.zilliz!.apiKeys, projects: seed.zilliz!.projects!.slice(1) } }))
      .status,
  ).toBe(200);
});
afterAll(() => stopZplUp(up));

describe('zones per VPC through the CLI', () => {
  const link0 = linkSpec(0, 0);
  const link1 = linkSpec(1, 0);
  const link2 = linkSpec(2, 1);

  it('a second VPC linking the same project and cluster succeeds; another cluster from a third VPC binds nothing of theirs', async () => {
    for (const [name, spec] of [
      ['link0', link0],
      ['link1', link1],
    ] as const) {
      const r = zpl(['apply', '-f', specFile(name, spec), '--state-dir', stateDir, '--follow']);
      expect(r.stdout).toMatch(/✓ Verify/);
      expect(r.status).toBe(0);
    }
    // The second project: Zilliz allowlists the account for it (its own API), as its owner would ask.
    const allowed = await http(
      'POST',
      `${zillizUrl}/v2/projects/${projectOf(1)}/privateEndpointWhitelist`,
      { regionId: `ali-${DEMO.region}`, outerUserId: DEMO.accountId },
      { authorization: `Bearer ${DEMO.zillizApiKey}` },
    );
    expect(allowed.status).toBe(200);
    const r = zpl(['apply', '-f', specFile('link2', link2), '--state-dir', stateDir, '--follow']);
    expect(r.status).toBe(0);
    const all = await zones();
    expect(all).toHaveLength(3);
    for (const v of [0, 1, 2]) expect(boundTo(all, vpcOf(v))).toHaveLength(1);
    expect(all.every((z) => z.bindings.length === 1)).toBe(true);
    expect(boundTo(all, vpcOf(2))[0]!.records.map((r) => r.rr)).toEqual([`in01-${'1'.padStart(16, '0')}-privatelink`]);
  });

  it('a lost AddZone reply (the fault book) makes one zone; duplicates a late reply left are swept by the next apply', async () => {
    expect((await post('/faults', { target: 'AddZone', kind: 'lostReply', count: 1 })).status).toBe(200);
    const since = (await calls()).at(-1)!.seq;
    const link3 = linkSpec(3, 0);
    expect(zpl(['apply', '-f', specFile('link3', link3), '--state-dir', stateDir, '--follow']).status).toBe(0);
    expect((await calls(since)).filter((c) => c.action === 'AddZone').map((c) => c.fault)).toEqual(['lostReply', undefined]);
    expect(boundTo(await zones(), vpcOf(3))).toHaveLength(1);
    expect((await zones()).filter((z) => z.remark === `zpl.link.${linkId(requireLinkSpec(link3))}`)).toHaveLength(1);

    // What late AddZone replies leave: more zones of the name and the link's mark, bound to nothing.
    const mark = `zpl.link.${linkId(requireLinkSpec(link1))}`;
    const late = { zoneName: 'ali-cn-hangzhou.vectordb.zilliz.com.cn', proxyPattern: 'RECORD', remark: mark, bindings: [], records: [] };
    const accounts = [
      {
        accountId: DEMO.accountId,
        accessKeys: [{ accessKeyId: DEMO.accessKeyId, accessKeySecret: DEMO.accessKeySecret }],
        zones: [late, late],
      },
    ];
    expect((await post('/seed', { accounts })).status).toBe(200);
    expect((await zones()).filter((z) => z.remark === mark)).toHaveLength(3);
    const plan = zpl(['plan', '-f', specFile('link1', link1), '--state-dir', stateDir]);
    expect(plan.stdout.match(/- remove\s+private zone\s+.*a duplicate this link made/g)).toHaveLength(2);
    const r = zpl(['apply', '-f', specFile('link1', link1), '--state-dir', stateDir, '--follow', '--json']);
    expect(r.status).toBe(0);
    expect((await zones()).filter((z) => z.remark === mark)).toEqual([
      expect.objectContaining({ bindings: [expect.objectContaining({ vpcId: vpcOf(1) })] }),
    ]);
    expect(await zones()).toHaveLength(4);
  });

  it('a cluster dropped from the spec: plan shows the removal and its risk, apply removes only that record, drift finds all clean', async () => {
    const both = { ...link0, clusters: [DEMO.clusterId, DEMO.secondClusterId] };
    expect(zpl(['apply', '-f', specFile('link0-both', both), '--state-dir', stateDir, '--follow']).status).toBe(0);
    expect(
      boundTo(await zones(), vpcOf(0))[0]!
        .records.map((r) => r.rr)
        .sort(),
    ).toEqual([`${DEMO.clusterId}-privatelink`, `${DEMO.secondClusterId}-privatelink`]);
    const plan = zpl(['plan', '-f', specFile('link0', link0), '--state-dir', stateDir]);
    expect(plan.status).toBe(0);
    expect(plan.stdout).toMatch(
      new RegExp(
        `- remove\\s+CNAME record\\s+${DEMO.secondClusterId}-privatelink\\.ali-cn-hangzhou\\.vectordb\\.zilliz\\.com\\.cn → \\S+: no longer in the spec\\n\\s+⚠ .* as it does publicly \\(the recursive proxy\\)`,
      ),
    );
    // The one removal (the endpoint's recorded cluster list changes beside it).
    expect(plan.stdout.match(/^ {2}- remove/gm)).toHaveLength(1);
    expect(zpl(['apply', '-f', specFile('link0', link0), '--state-dir', stateDir, '--follow']).status).toBe(0);
    expect(boundTo(await zones(), vpcOf(0))[0]!.records.map((r) => r.rr)).toEqual([`${DEMO.clusterId}-privatelink`]);
    const drift = zpl(['drift', '--state-dir', stateDir]);
    expect(drift.stdout).toMatch(/drift check of 4 link\(s\) in cn-hangzhou: 0 drifted/);
    expect(drift.status).toBe(0);
  });

  it("destroy removes one VPC's zone and leaves the other VPCs' zones, bindings and records as they were", async () => {
    const before = await zones();
    // --yes: destroy asks first, and refuses without a terminal to ask on (test/cli-fleet.test.ts).
    const r = zpl(['destroy', '-f', specFile('link1', link1), '--state-dir', stateDir, '--follow', '--yes']);
    expect(r.status).toBe(0);
    const after = await zones();
    expect(boundTo(after, vpcOf(1))).toEqual([]);
    expect(after).toEqual(before.filter((z) => !z.bindings.some((b) => b.vpcId === vpcOf(1))));
  });
});
