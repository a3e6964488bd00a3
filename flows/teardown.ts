import { fail, succeed, type Flow } from './gen/fdl.ts';
import { linkSteps, outcome, report } from './gen/link-flow.ts';

/** flows/teardown.yaml, described: the plan, then what provision created, removed in reverse order. */
export const teardown: Flow = {
  header: [
    'Tear down a link (input {"spec": …}) or single clusters of it ({"spec": …, "removeClusters": [ids]}),',
    'in reverse order: DNS we own (waiting while PrivateZone still counts a removed binding), the Zilliz registration, the endpoint (its zones first, waiting until',
    "gone), the security group if we created it (waiting while the endpoint's ENIs are released).",
    'Nothing zpl did not create is deleted; gone counts as done.',
  ],
  name: 'zpl-teardown',
  description: 'Remove a Zilliz Cloud private link (or some of its clusters) that zpl created',
  states: [
    ...linkSteps([
      { step: 'TeardownPlan', then: 'Planned' },
      {
        step: 'RemoveDns',
        then: 'DnsRemoved',
        wait: 'WaitForZoneDeletion',
        why: 'PrivateZone may refuse DeleteZone (Zone.VpcExists) for a while after the VPC is unbound.',
      },
      { step: 'DeregisterEndpoint', then: 'Deregistered' },
      { step: 'DeleteEndpoint', then: 'EndpointGone', wait: 'WaitForDeletion' },
      {
        step: 'DeleteSecurityGroup',
        then: 'SecurityGroupGone',
        wait: 'WaitForSecurityGroup',
        why: "ECS refuses the deletion (DependencyViolation) until the endpoint's network interfaces are released.",
      },
    ]),
    report('Outcome'),
    outcome('Done', 'Failed'),
    succeed('Done'),
    fail(
      'Failed',
      'Link.TeardownFailed',
      "The teardown did not finish; the Report step's output names the failing step, its code and message. Run it again to continue.",
    ),
  ],
};
