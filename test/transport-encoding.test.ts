import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunTransport } from '../shared/aliyun/rpc.ts';
import { listenLoopback, signedPeer } from './support/signed-peer.ts';
import { CATALOG_BY_PRODUCT } from '../shared/aliyun/catalog.ts';

/**
 * The wire as CloudFlow's gateway sees it: a loopback peer records each raw request, checks its
 * V3 signature with the emulator's verifier, and answers like FnF. (The CloudFlow engine that
 * serves these actions for real comes with the local engine.)
 */
interface Seen {
  method: string;
  query: Record<string, string>;
  form: Record<string, string>;
  action: string | undefined;
  signer: string;
}

const SECRET = 'encoding-test-secret';
const seen: Seen[] = [];
let url = '';
const server = signedPeer('AK-ENC', SECRET, ({ method, query, form, verified }) => {
  seen.push({ method, query, form, action: verified.action, signer: verified.accessKeyId });
  const execution = { RequestId: 'R', Name: 'run-1', FlowName: 'provision', Status: 'Running', StartedTime: '2026-11-27T00:00:00Z' };
  return verified.action === 'ReportTaskSucceeded' ? { RequestId: 'R', EventId: 7 } : execution;
});

beforeAll(async () => {
  url = await listenLoopback(server);
});
afterAll(() => server.close());

const transport = () =>
  new AliyunTransport({
    catalog: CATALOG_BY_PRODUCT,
    endpoint: url,
    credentials: { accessKeyId: 'AK-ENC', accessKeySecret: SECRET },
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });

describe('transport encoding per the catalog', () => {
  it('sends GET-only actions as signed GETs with every parameter in the query', async () => {
    seen.length = 0;
    await expect(
      transport().call('fnf', 'DescribeExecution', 'cn-hangzhou', { FlowName: 'provision', ExecutionName: 'run-1', WaitTimeSeconds: 5 }),
    ).resolves.toMatchObject({ Status: 'Running' });
    expect(seen).toEqual([
      {
        method: 'GET',
        action: 'DescribeExecution',
        signer: 'AK-ENC',
        query: { FlowName: 'provision', ExecutionName: 'run-1', WaitTimeSeconds: '5' },
        form: {},
      },
    ]);
  });

  it('sends formData parameters in the signed form body, and query parameters in the query', async () => {
    seen.length = 0;
    await transport().call('fnf', 'StartExecution', 'cn-hangzhou', {
      FlowName: 'provision',
      ExecutionName: 'run-1',
      Input: '{"a":"b c&d"}',
    });
    await transport().call('fnf', 'ReportTaskSucceeded', 'cn-hangzhou', { TaskToken: 'tok-1', Output: '{"ok":true}' });
    expect(seen).toEqual([
      {
        method: 'POST',
        action: 'StartExecution',
        signer: 'AK-ENC',
        query: {},
        form: { FlowName: 'provision', ExecutionName: 'run-1', Input: '{"a":"b c&d"}' },
      },
      { method: 'POST', action: 'ReportTaskSucceeded', signer: 'AK-ENC', query: { TaskToken: 'tok-1' }, form: { Output: '{"ok":true}' } },
    ]);
  });
});
