import { EXECUTION_INPUT, EXECUTION_NAME, type Flow } from './gen/fdl.ts';
import { linkSteps, report } from './gen/link-flow.ts';
import { answer } from './gen/outcome.ts';

/** flows/provision.yaml, described: the steps in order, the waits, then report, callback and outcome event. */

export const provision: Flow = {
  header: [
    'Provision a Zilliz Cloud private link for one VPC (Zilliz guide "创建私网连接（阿里云）").',
    'Input: {"spec": <link spec>}. Each Task is one FC function (functions/<name>); waits are',
    'Task(check) → Choice → Wait loops paced by the check step, each with a deadline.',
    '${region}, ${accountId} and ${eventBus} are filled in by `zpl render` / `zpl apply` before deployment.',
  ],
  name: 'zpl-provision',
  description: 'Connect an Alibaba Cloud VPC to a Zilliz Cloud project over PrivateLink',
  states: [
    ...linkSteps([
      { step: 'Validate', then: 'Validated' },
      { step: 'Allowlist', then: 'Allowlisted' },
      { step: 'CheckService', then: 'ServiceVisible', wait: 'WaitForService' },
      { step: 'EnsureSecurityGroup', then: 'SecurityGroupReady' },
      { step: 'EnsureEndpoint', then: 'EndpointRequested' },
      { step: 'CheckEndpoint', then: 'EndpointActive', wait: 'WaitForEndpoint' },
      { step: 'RegisterEndpoint', then: 'Registered' },
      { step: 'CheckConnection', then: 'Connected', wait: 'WaitForConnection' },
      { step: 'EnsureDns', then: 'DnsReady' },
      { step: 'Verify' },
    ]),
    report('Notify'),
    ...answer(EXECUTION_NAME, { 'input.$': EXECUTION_INPUT }),
  ],
};
