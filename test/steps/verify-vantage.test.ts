import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatSummary } from '../../cli/summary.ts';
import { DEMO } from '../../local/emulators/fixtures.ts';
import { vpcNetwork } from '../../shared/net/network.ts';
import { buildReport } from '../../shared/steps/report.ts';
import { verify } from '../../shared/steps/verify.ts';
import { host, OTHER_VPC, FAST, spec, worlds } from './support.ts';

/**
 * Verify checks names only from inside the link's VPC: PrivateZone answers only in bound VPCs,
 * so a verify function in another VPC can neither pass nor fail the link.
 */

const open = worlds();

describe('Verify from where the function runs', () => {
  it('a function in another VPC reports "not verified from <vpc>: <reason>" and neither passes nor fails', async () => {
    const w = await open({ timings: FAST, network: true });
    const s = spec();
    const state = await w.provisionThrough('EnsureDns', s);
    const { state: next } = await verify({ spec: s, state, execution: 'exec-1' }, { ...w.deps, network: vpcNetwork(OTHER_VPC) });
    expect(next.verified).toBeUndefined();
    expect(next.unverified).toEqual({ vpcId: DEMO.vpcId, reason: expect.stringContaining(`runs in ${OTHER_VPC}`) });
    const report = buildReport(s, next);
    expect(report).toMatchObject({ ok: true, verified: [], unverified: { vpcId: DEMO.vpcId } });
    const execution = {
      Name: 'e',
      FlowName: 'zpl-provision',
      Status: 'Succeeded',
      StartedTime: '2026-01-01T00:00:00Z',
      StoppedTime: '2026-01-01T00:01:00Z',
      RequestId: 'r',
    };
    const summary = formatSummary(execution, report, 0);
    expect(summary).toContain(`Verification: not verified from ${DEMO.vpcId}: the verify function runs in ${OTHER_VPC}`);
    expect(summary).not.toContain('from inside');
  });

  it('a function that does not know its VPC verifies nothing', async () => {
    const w = await open({ timings: FAST, network: true });
    const s = spec();
    const state = await w.provisionThrough('EnsureDns', s);
    const { state: next } = await verify({ spec: s, state, execution: 'exec-1' }, { ...w.deps, network: vpcNetwork(undefined) });
    expect(next.unverified?.reason).toContain('ZPL_VERIFY_VPC_ID is not set');
    expect(next.verified).toBeUndefined();
  });

  it("a function in the link's VPC verifies: the name and the ports, through that VPC's resolver", async () => {
    const w = await open({ timings: FAST, network: true });
    const s = spec();
    const state = await w.provisionThrough('EnsureDns', s);
    const inside = { ...w.deps.network, cannotSee: vpcNetwork(DEMO.vpcId).cannotSee };
    const { state: next } = await verify({ spec: s, state, execution: 'exec-1' }, { ...w.deps, network: inside });
    expect(next.unverified).toBeUndefined();
    expect(next.verified?.map((v) => v.host)).toEqual([host(DEMO.clusterId)]);
    expect(next.verified![0]!.connections).toHaveLength(state.zoneIps!.length);
  });
});

describe('s.yaml', () => {
  it('tells the verify function the VPC it runs in (the one its vpcConfig names)', () => {
    const doc = parse(readFileSync(new URL('../../s.yaml', import.meta.url), 'utf8'), { merge: true }) as {
      resources: { verify: { props: { environmentVariables: Record<string, string>; vpcConfig: { vpcId: string } } } };
    };
    const props = doc.resources.verify.props;
    expect(props.environmentVariables.ZPL_VERIFY_VPC_ID).toBe(props.vpcConfig.vpcId);
    // Was ${env('ZILLIZ_API_KEY')}: the key now comes from KMS by name, the variable (with a default,
    // so no `s` command fails without it) being the fallback; the verify function keeps both.
    expect(props.environmentVariables.ZILLIZ_API_KEY).toBe("${env('ZILLIZ_API_KEY', '')}");
    expect(props.environmentVariables.ZILLIZ_API_KEY_SECRET_NAME).toBe('${vars.secretZillizApiKey}');
  });
});
