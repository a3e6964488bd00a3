import { describe, expect, it } from 'vitest';
import { specDifferences } from '../shared/spec-diff.ts';
import { DEMO } from '../local/emulators/fixtures.ts';
import { spec } from './steps/support.ts';

/** What makes a request's spec differ from the one a run provisions (shared/spec-diff.ts). */

const RUN = 'zpl-0c3730bbb610-p0001';

describe('spec differences', () => {
  it('none when the specs ask for the same link: defaults applied, lists in any order, tags in any order', () => {
    const running = spec({ clusters: [DEMO.clusterId, DEMO.secondClusterId], tags: { a: '1', b: '2' } });
    const requested = spec({
      clusters: [DEMO.secondClusterId, DEMO.clusterId],
      zones: [{ zoneId: 'cn-hangzhou-j' }, { zoneId: 'cn-hangzhou-h' }],
      tags: { b: '2', a: '1' },
      icmp: true,
      dnsLayout: 'region-zone',
      deadlines: { serviceVisibleSeconds: 3600 },
    });
    expect(specDifferences(running, requested, RUN)).toEqual([]);
  });

  it('names each differing field, saying what the request adds and leaves out', () => {
    const running = spec();
    const requested = spec({
      clusters: [DEMO.secondClusterId],
      zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-j', vSwitchId: 'vsw-bp1demoj000000000001' }],
      tags: { team: 'search' },
      port: 19531,
      deadlines: { connectionSeconds: 600 },
    });
    expect(specDifferences(running, requested, RUN)).toEqual([
      {
        field: 'clusters',
        message: `${RUN} runs with ${DEMO.clusterId}; this request adds ${DEMO.secondClusterId} and leaves out ${DEMO.clusterId}`,
      },
      {
        field: 'zones',
        message: `${RUN} runs with cn-hangzhou-h, cn-hangzhou-j; this request adds cn-hangzhou-j (vsw-bp1demoj000000000001) and leaves out cn-hangzhou-j`,
      },
      { field: 'port', message: `${RUN} runs with (not set); this request asks for 19531` },
      { field: 'tags', message: `${RUN} runs with {}; this request asks for {"team":"search"}` },
      {
        field: 'deadlines',
        message: `${RUN} runs with {"connectionSeconds":3600,"endpointActiveSeconds":1800,"serviceVisibleSeconds":3600}; this request asks for {"connectionSeconds":600,"endpointActiveSeconds":1800,"serviceVisibleSeconds":3600}`,
      },
    ]);
  });

  it('a long value is cut, so a refusal stays short', () => {
    const many = Array.from({ length: 40 }, (_, i) => `in01-${String(i).padStart(16, '0')}`);
    const [d] = specDifferences(spec(), spec({ clusters: [DEMO.clusterId, ...many] }), RUN);
    expect(d!.field).toBe('clusters');
    expect(d!.message.length).toBeLessThan(300);
    expect(d!.message).toMatch(/adds in01-0000000000000000, .*…$/);
  });
});
