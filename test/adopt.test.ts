import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../local/emulators/fixtures.ts';
import type { AdoptionReport } from '../shared/adopt/types.ts';
import { linkId } from '../shared/derived.ts';
import { CHANGES, type PlanItem } from '../shared/plan.ts';
import { stepDeps } from '../shared/steps/runtime.ts';
import type { StepDeps } from '../shared/steps/types.ts';
import type { CallRecord } from '../local/emulators/call-log.ts';
import { isWrite } from './support/calls.ts';
import { handMadeLink, type HandMade } from './support/hand-made.ts';
import { linkSpec, manyLinksSeed, vpcOf } from './support/vpcs.ts';
import { http } from './support/http.ts';
import { stopZplUp, zpl, zplUp } from './support/zpl-cli.ts';

/**
 * `zpl adopt` as a user meets it against `zpl up`: the guide's setup made by hand (the consoles'
 * calls), adopted through the CLI as a process (VPC 0) and through the HTTP API (VPC 1, with a record
 * of the user's in the zone); a dry run writes nothing; plan then shows only the spec's differences,
 * apply converges the adopted resources without making a second endpoint, group or zone, drift is
 * clean, destroy deletes what was adopted and nothing that was not named. Counted in the emulator's
 * state and call log.
 */

type State = {
  endpoints: { endpointId: string; vpcId: string; tags: { Key: string; Value: string }[]; zones: { zoneId: string }[] }[];
  securityGroups: {
    securityGroupId: string;
    vpcId: string;
    tags: { Key: string; Value: string }[];
    rules: { IpProtocol: string; PortRange: string; SourceCidrIp: string }[];
  }[];
  zones: { zoneId: string; remark?: string; bindings: { vpcId: string }[]; records: { rr: string; value: string; remark?: string }[] }[];
};

let stateDir: string;
let up: ChildProcess;
let file: {
  adminUrl: string;
  edgeUrl: string;
  apiToken: string;
  alibabaUrl: string;
  zillizUrl: string;
  accessKeyId: string;
  accessKeySecret: string;
  zillizApiKey: string;
};
let deps: StepDeps;

const admin = (method: 'GET' | 'POST', path: string, body?: unknown) => http(method, `${file.adminUrl}${path}`, body);
const api = (method: 'GET' | 'POST', path: string, body?: unknown) =>
  http(method, `${file.edgeUrl}${path}`, body, { authorization: `Bearer ${file.apiToken}` });
const state = async () => (await admin('GET', '/state')).json as State;
const lastSeq = async () => ((await admin('GET', '/calls')).json as { calls: CallRecord[] }).calls.at(-1)?.seq ?? 0;
/** Calls that changed something since `seq`: Alibaba writes (catalog) and Zilliz's allowlist/register/delete. */
const writesSince = async (seq: number) =>
  ((await admin('GET', `/calls?since=${seq}`)).json as { calls: CallRecord[] }).calls
    .filter((c) => c.ok && isWrite(c))
    .map((c) => c.action);
const specFile = (name: string, spec: unknown) => {
  const path = join(stateDir, `${name}.json`);
  writeFileSync(path, JSON.stringify(spec));
  return path;
};
const inVpc = <T extends { vpcId: string }>(all: T[], v: number) => all.filter((x) => x.vpcId === vpcOf(v));
const boundTo = (s: State, v: number) => s.zones.filter((z) => z.bindings.some((b) => b.vpcId === vpcOf(v)));
const changes = (items: PlanItem[]) => items.filter((i) => CHANGES.includes(i.action) || i.action === 'conflict');
const rules = (s: State, id: string) =>
  s.securityGroups
    .find((g) => g.securityGroupId === id)!
    .rules.map((r) => `${r.IpProtocol} ${r.PortRange} ${r.SourceCidrIp}`)
    .sort();

/** The user's setup in VPC `v`, made with the user's keys through the stack's gateway, as the consoles would. */
const handMade = (v: number, userRecord: boolean) =>
  handMadeLink(deps.aliyun, deps.zilliz, {
    vpcId: vpcOf(v),
    vSwitchH: v === 0 ? 'vsw-bp1demoh000000000001' : `vsw-bp1multih${String(v).padStart(11, '0')}`,
    tag: `hm${v}`,
    userRecord,
    passTime: async (ms) => void (await admin('POST', '/clock/advance', { ms })),
  });

/** An execution run through to its end by `zpl status --follow` (the polling stays in the CLI process). */
const followed = (name: string, flow: string) => zpl(['status', name, '--flow', flow, '--follow', '--json', '--state-dir', stateDir]);

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'zpl-adopt-'));
  up = await zplUp(stateDir);
  file = JSON.parse(readFileSync(join(stateDir, 'stack.json'), 'utf8')) as typeof file;
  const seed = manyLinksSeed({ vpcs: 2, projects: 1 });
  expect((await admin('POST', '/seed', { accounts: seed.accounts })).status).toBe(200);
  deps = stepDeps({
    region: DEMO.region,
    credentials: { accessKeyId: file.accessKeyId, accessKeySecret: file.accessKeySecret },
    alibabaEndpoint: file.alibabaUrl,
    zillizApiKey: file.zillizApiKey,
    zillizUrl: file.zillizUrl,
  });
});
afterAll(() => stopZplUp(up));

describe('adopting a hand-made setup', () => {
  const cliSpec = linkSpec(0, 0);
  const apiSpec = linkSpec(1, 0);
  let cli: HandMade;
  let viaApi: HandMade;
  let dryDifferences: PlanItem[];
  /** `zpl adopt` of VPC 0's hand-made resources, all three named. */
  const adoptCli = (...more: string[]) =>
    zpl([
      'adopt',
      '-f',
      specFile('cli', cliSpec),
      '--endpoint',
      cli.endpointId,
      '--security-group',
      cli.securityGroupId,
      '--zone',
      cli.zoneId,
      ...more,
      '--state-dir',
      stateDir,
    ]);

  it("through the CLI: a dry run writes nothing and shows what it adopts, what stays the user's and how the link then differs", async () => {
    cli = await handMade(0, false);
    const seq = await lastSeq();
    const r = adoptCli('--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as AdoptionReport;
    expect(report.written).toBe(false);
    expect(report.items.filter((i) => i.action === 'adopt').map((i) => i.id)).toEqual([
      cli.endpointId,
      cli.securityGroupId,
      cli.zoneId,
      String(cli.recordId),
    ]);
    expect(report.items.filter((i) => i.action === 'leave').map((i) => i.id)).toEqual([cli.otherGroupId]);
    expect(report.differences.map((d) => `${d.action} ${d.resource}`)).toEqual(
      expect.arrayContaining([
        'update interface endpoint',
        'remove security group rules',
        'remove endpoint tags',
        'update CNAME record',
        'update private zone proxy',
      ]),
    );
    dryDifferences = report.differences;
    expect(await writesSince(seq)).toEqual([]);
  });

  it('through the CLI: a refusal exits 2 and writes nothing', async () => {
    const seq = await lastSeq();
    const given = specFile('given', linkSpec(0, 0, { securityGroupId: cli.otherGroupId }));
    const r = zpl([
      'adopt',
      '-f',
      given,
      '--endpoint',
      cli.endpointId,
      '--security-group',
      cli.securityGroupId,
      '--yes',
      '--state-dir',
      stateDir,
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/✗ refused: the spec gives security group .* leave securityGroupId out of the spec/);
    expect(r.stdout).toMatch(/Nothing was adopted\./);
    expect(await writesSince(seq)).toEqual([]);
  });

  it("through the CLI: --yes marks the named resources, says destroy will delete them; plan then shows exactly the dry run's differences", async () => {
    const r = adoptCli('--yes');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\+ adopt\s+interface endpoint/);
    expect(r.stdout).toMatch(/zpl destroy DELETES them/);
    const s = await state();
    const id = linkId(cliSpec);
    expect(s.endpoints.find((e) => e.endpointId === cli.endpointId)!.tags).toEqual(
      expect.arrayContaining([{ Key: 'zpl:link', Value: id }]),
    );
    expect(s.securityGroups.find((g) => g.securityGroupId === cli.otherGroupId)!.tags).toEqual([]);
    expect(s.zones.find((z) => z.zoneId === cli.zoneId)!.remark).toBe(`zpl.adopted.${id}`);
    const plan = zpl(['plan', '-f', specFile('cli', cliSpec), '--json', '--state-dir', stateDir]);
    // The CLI's --json names each item's kind too (its resource in snake case); the dry run's items are the plan's own.
    const items = (JSON.parse(plan.stdout) as { items: (PlanItem & { kind: string })[] }).items.map(({ kind: _, ...i }) => i);
    expect(changes(items)).toEqual(dryDifferences);
  });

  it('through the CLI: apply converges the adopted resources and creates no second endpoint, group or zone', async () => {
    const r = zpl(['apply', '-f', specFile('cli', cliSpec), '--follow', '--state-dir', stateDir]);
    expect(r.stdout).toMatch(/✓ Verify/);
    expect(r.status).toBe(0);
    const s = await state();
    expect(inVpc(s.endpoints, 0).map((e) => e.endpointId)).toEqual([cli.endpointId]);
    expect(
      inVpc(s.securityGroups, 0)
        .map((g) => g.securityGroupId)
        .sort(),
    ).toEqual([cli.securityGroupId, cli.otherGroupId].sort());
    expect(boundTo(s, 0).map((z) => z.zoneId)).toEqual([cli.zoneId]);
    expect(rules(s, cli.securityGroupId)).toEqual(['ICMP -1/-1 10.0.0.0/16', 'TCP 19530/19530 10.0.0.0/16']);
    expect(rules(s, cli.otherGroupId)).toEqual(['TCP 443/443 10.0.0.0/8']);
    expect(
      inVpc(s.endpoints, 0)[0]!
        .zones.map((z) => z.zoneId)
        .sort(),
    ).toEqual(['cn-hangzhou-h', 'cn-hangzhou-j']);
    const plan = zpl(['plan', '-f', specFile('cli', cliSpec), '--json', '--state-dir', stateDir]);
    expect(changes((JSON.parse(plan.stdout) as { items: PlanItem[] }).items)).toEqual([]);
  });

  it('through the API: a dry run writes nothing; confirmed it adopts; a provision run converges it', async () => {
    viaApi = await handMade(1, true);
    const names = { endpointId: viaApi.endpointId, securityGroupId: viaApi.securityGroupId, zoneId: viaApi.zoneId };
    const seq = await lastSeq();
    const dry = await api('POST', '/v1/links/adopt', { spec: apiSpec, ...names });
    expect(dry.status).toBe(202);
    const dryRun = dry.json as { execution: string; statusUrl: string };
    expect(dryRun.statusUrl).toBe(`/v1/links/executions/${dryRun.execution}?flow=adopt`);
    expect(followed(dryRun.execution, 'zpl-adopt').status).toBe(0);
    const dryStatus = (await api('GET', dryRun.statusUrl)).json as { status: string; output: { state: { adoption: AdoptionReport } } };
    expect(dryStatus.status).toBe('Succeeded');
    expect(dryStatus.output.state.adoption).toMatchObject({ written: false, refusals: [] });
    expect(dryStatus.output.state.adoption.items.filter((i) => i.action === 'leave').map((i) => i.id)).toEqual([
      viaApi.otherGroupId,
      String(viaApi.userRecordId),
    ]);
    expect(await writesSince(seq)).toEqual([]);

    const bad = await api('POST', '/v1/links/adopt', { spec: apiSpec, ...names, endpointId: 'vpc-notanendpoint' });
    expect(bad.status).toBe(422);
    const confirmed = (await api('POST', '/v1/links/adopt', { spec: apiSpec, ...names, confirm: true })).json as {
      execution: string;
      statusUrl: string;
    };
    expect(followed(confirmed.execution, 'zpl-adopt').status).toBe(0);
    const done = (await api('GET', confirmed.statusUrl)).json as { output: { state: { adoption: AdoptionReport } } };
    expect(done.output.state.adoption.written).toBe(true);

    const run = (await api('POST', '/v1/links', apiSpec)).json as { execution: string };
    expect(followed(run.execution, 'zpl-provision').status).toBe(0);
    const s = await state();
    expect(inVpc(s.endpoints, 1).map((e) => e.endpointId)).toEqual([viaApi.endpointId]);
    expect(inVpc(s.securityGroups, 1)).toHaveLength(2);
    expect(boundTo(s, 1).map((z) => z.zoneId)).toEqual([viaApi.zoneId]);
    expect(rules(s, viaApi.securityGroupId)).toEqual(['ICMP -1/-1 10.1.0.0/16', 'TCP 19530/19530 10.1.0.0/16']);
  });

  it('drift reports both adopted links clean', () => {
    const r = zpl(['drift', '--state-dir', stateDir]);
    expect(r.stdout).toMatch(/drift check of 2 link\(s\) in cn-hangzhou: 0 drifted/);
    expect(r.status).toBe(0);
  });

  it('destroy deletes what was adopted and leaves what was not named', async () => {
    const r = zpl(['destroy', '-f', specFile('cli', cliSpec), '--follow', '--yes', '--state-dir', stateDir]);
    expect(r.status).toBe(0);
    const teardown = (await api('POST', '/v1/links/teardown', { spec: apiSpec })).json as { execution: string };
    expect(followed(teardown.execution, 'zpl-teardown').status).toBe(0);
    const s = await state();
    expect(s.endpoints.map((e) => e.endpointId)).toEqual([]);
    expect(s.securityGroups.map((g) => g.securityGroupId).sort()).toEqual([cli.otherGroupId, viaApi.otherGroupId].sort());
    // VPC 0's adopted zone held only the cluster's record: gone. VPC 1's holds the user's own record: kept with it.
    expect(s.zones.map((z) => z.zoneId)).toEqual([viaApi.zoneId]);
    expect(s.zones[0]!.records.map((x) => `${x.rr} ${x.value} ${x.remark}`)).toEqual(['grafana 10.0.1.99 by-hand']);
  });
});
