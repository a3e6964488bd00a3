import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DRIFT_FLOW, PROVISION_FLOW, TEARDOWN_FLOW } from '../shared/flows.ts';
import { CATALOG_ENTRIES, actionDef } from '../shared/aliyun/catalog.ts';
import { DESCRIPTION_LIMITS, descriptionViolations } from '../local/emulators/alibaba/description-limits.ts';
import { METADATA_CONSTRAINTS, metadataViolations } from '../local/emulators/alibaba/metadata-rules.ts';
import { DEFAULT_TIMINGS } from '../local/emulators/fixtures.ts';
import type { Stack } from '../local/stack.ts';
import { metadata } from './support/metadata.ts';
import { derivedConstraints } from './support/metadata-constraints.ts';
import { demoSpec, finish, finishFlow, startTestStack } from './support/provision.ts';
import { startTestWorld, type TestWorld } from './support/stack.ts';

/**
 * Fidelity as a mechanism: the emulator's gateway refuses what the official metadata states as
 * data (constraints.json, derived here from test/reference) and what it states only in prose
 * (description-limits.ts), and every call the main flows make keeps both.
 */

describe("the constraints the emulator enforces are the metadata's", () => {
  it('local/emulators/alibaba/metadata/constraints.json is exactly what the vendored metadata states, for every catalog action', () => {
    const file = JSON.parse(readFileSync(new URL('../local/emulators/alibaba/metadata/constraints.json', import.meta.url), 'utf8'));
    expect(file).toEqual(derivedConstraints());
    const inMetadata = CATALOG_ENTRIES.filter(({ def }) => !def.notInMetadata).map(({ product, action }) => `${product}.${action}`);
    const held = Object.entries(METADATA_CONSTRAINTS).flatMap(([product, actions]) => Object.keys(actions).map((a) => `${product}.${a}`));
    expect(held.sort()).toEqual(inMetadata.sort());
  });

  it.each(DESCRIPTION_LIMITS.map((l) => [`${l.product}.${l.action}.${l.param}`, l] as const))(
    'prose limit %s names a catalog action, a metadata parameter and quotes its description',
    (_, limit) => {
      expect(actionDef(limit.product, limit.action), limit.action).toBeDefined();
      const param = metadata(limit.product).apis[limit.action]!.parameters.find((p) => p.name === limit.param);
      expect(param, `${limit.action}.${limit.param}`).toBeDefined();
      if (limit.byReference) {
        expect(limit.broken).toBeUndefined();
        return;
      }
      const description = (param!.schema as { description?: string }).description ?? '';
      expect(description).toContain(limit.quote);
    },
  );
});

describe('an action absent from the metadata', () => {
  // DescribeUserServiceStatus is in PrivateZone's SDKs but not in its OpenAPI metadata (catalog comment).
  it('an action the metadata does not list (DescribeUserServiceStatus) has no constraints, and the gateway serves it unchecked', async () => {
    const absent = CATALOG_ENTRIES.filter(({ def }) => def.notInMetadata).map(({ product, action }) => [action, product]);
    expect(absent).toEqual([['DescribeUserServiceStatus', 'pvtz']]);
    expect(Object.keys(metadata('pvtz').apis)).not.toContain('DescribeUserServiceStatus');
    expect(metadataViolations('pvtz', 'DescribeUserServiceStatus', { Lang: 'x'.repeat(500) })).toEqual([]);
    const w = await startTestWorld(DEFAULT_TIMINGS);
    try {
      await expect(w.transport().call('pvtz', 'DescribeUserServiceStatus', 'cn-hangzhou', { Lang: 'en' })).resolves.toMatchObject({
        Status: 'OPENED',
      });
    } finally {
      await w.emu.close();
    }
  });
});

describe('the gateway refuses each kind of broken constraint as POP does (InvalidParameter, 400), and logs the refusal', () => {
  let w: TestWorld;
  afterEach(() => w.emu.close());

  it.each([
    ['maximum', 'pvtz', 'DescribeZones', { PageSize: 101 }, 'PageSize'],
    ['minimum', 'pvtz', 'DescribeZoneRecords', { ZoneId: 'zone-x', PageNumber: 0 }, 'PageNumber'],
    ['enum', 'pvtz', 'SetZoneRecordStatus', { RecordId: 1, Status: 'OFF' }, 'Status'],
    [
      'maxItems',
      'pvtz',
      'BindZoneVpc',
      { ZoneId: 'zone-x', Vpcs: Array.from({ length: 151 }, (_, i) => ({ RegionId: 'cn-hangzhou', VpcId: `vpc-${i}` })) },
      'Vpcs',
    ],
    ['prose range (1~50)', 'Privatelink', 'ListVpcEndpoints', { RegionId: 'cn-hangzhou', MaxResults: 51 }, 'MaxResults'],
    [
      'prose range below (1~50)',
      'Privatelink',
      'ListVpcEndpointZones',
      { RegionId: 'cn-hangzhou', EndpointId: 'ep-x', MaxResults: 0 },
      'MaxResults',
    ],
    ['prose length (2~128)', 'Ecs', 'CreateSecurityGroup', { RegionId: 'cn-hangzhou', SecurityGroupName: 'z' }, 'SecurityGroupName'],
    [
      'prose start (letter)',
      'Privatelink',
      'CreateVpcEndpoint',
      { RegionId: 'cn-hangzhou', VpcId: 'vpc-x', EndpointName: '1-endpoint' },
      'EndpointName',
    ],
    ['prose prefix (no http://)', 'Ecs', 'CreateSecurityGroup', { RegionId: 'cn-hangzhou', Description: 'https://example' }, 'Description'],
  ] as const)('%s: %s %s', async (_, product, action, params, param) => {
    w = await startTestWorld(DEFAULT_TIMINGS);
    const region = 'cn-hangzhou';
    await expect(
      w.transport({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }).call(product, action as never, region, params as never),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
      httpStatus: 400,
      message: expect.stringContaining(`"${param}" is not valid`),
    });
    const refused = w.emu.calls.calls.filter((c) => c.product === product && c.action === action);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ ok: false, code: 'InvalidParameter', httpStatus: 400 });
    expect(refused[0]!.params).toBeDefined();
  });
});

describe('every call the main flows make keeps the metadata and the prose limits', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('provision, drift and teardown: no Alibaba call breaks a constraint, none is refused for its parameters, Zilliz calls are logged with theirs', async () => {
    stack = await startTestStack();
    await stack.flows.start(PROVISION_FLOW, 'fidelity-p', { spec: demoSpec() });
    expect((await finish(stack, 'fidelity-p')).rec.status).toBe('Succeeded');
    await stack.flows.start(DRIFT_FLOW, 'fidelity-d', { regions: ['cn-hangzhou'], remediate: false });
    expect((await finishFlow(stack, DRIFT_FLOW, 'fidelity-d')).status).toBe('Succeeded');
    await stack.flows.start(TEARDOWN_FLOW, 'fidelity-t', { spec: demoSpec() });
    expect((await finish(stack, 'fidelity-t', TEARDOWN_FLOW)).rec.status).toBe('Succeeded');

    const calls = stack.emulators.calls.calls;
    const alibaba = calls.filter((c) => c.service === 'alibaba' && c.product !== '?');
    expect(alibaba.length).toBeGreaterThan(20);
    for (const call of alibaba) {
      const params = call.params ?? {};
      expect(
        [...metadataViolations(call.product, call.action, params), ...descriptionViolations(call.product, call.action, params)],
        `${call.action} ${JSON.stringify(params)}`,
      ).toEqual([]);
      expect(call.ok || !/^(InvalidParameter|Missing)/.test(call.code ?? ''), `${call.action} refused: ${call.code}`).toBe(true);
    }
    const zilliz = calls.filter((c) => c.service === 'zilliz');
    expect(zilliz.length).toBeGreaterThan(0);
    for (const call of zilliz) expect(call.params, call.action).toBeDefined();
    expect(zilliz.some((c) => Object.keys(c.params ?? {}).length > 0)).toBe(true);

    // The engine's FnF API keeps the same records: StartExecution with its decoded parameters.
    const fnf = stack.engine.log.calls;
    expect(fnf.filter((c) => c.action === 'StartExecution').map((c) => c.params?.ExecutionName)).toEqual([
      'fidelity-p',
      'fidelity-d',
      'fidelity-t',
    ]);
    for (const call of fnf) expect(metadataViolations(call.product, call.action, call.params ?? {}), call.action).toEqual([]);
  });

  it("the engine's FnF API logs a refused call with its code and parameters", async () => {
    stack = await startTestStack();
    const refusal = await stack.flows.describe(PROVISION_FLOW, 'no-such-run').catch((e: { code?: string }) => e);
    expect(refusal).toMatchObject({ code: expect.any(String) });
    const refused = stack.engine.log.calls.filter((c) => c.action === 'DescribeExecution' && !c.ok);
    expect(refused).toMatchObject([
      { service: 'fnf', code: (refusal as { code: string }).code, params: { FlowName: PROVISION_FLOW, ExecutionName: 'no-such-run' } },
    ]);
    expect(refused[0]!.httpStatus).toBeGreaterThanOrEqual(400);
  });
});
