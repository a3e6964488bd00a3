import { noteChange, type LinkState, type StepDeps, type Tokens } from '../steps/types.ts';
import type { AdoptMarks } from './types.ts';

const STEP = 'Adopt';

/**
 * Writes the adoption's marks. The endpoint goes last: a link whose endpoint carries its tag is
 * provisioned as zpl's from then on, so an adoption interrupted before it leaves the endpoint
 * the user's, and adopting again (each named resource already the link's is kept) finishes it.
 */
export async function writeMarks(marks: AdoptMarks, state: LinkState, deps: StepDeps, token: Tokens): Promise<LinkState> {
  const { privateLink, privateZone, securityGroups } = deps.aliyun;
  let next = state;
  if (marks.securityGroup) {
    await securityGroups.tag(marks.securityGroup.id, marks.securityGroup.tags);
    next = noteChange(next, { step: STEP, action: 'adopted', resource: 'security group', id: marks.securityGroup.id });
  }
  for (const r of marks.records) {
    await privateZone.setRecordRemark(r.recordId, r.remark, token('record-remark', { recordId: r.recordId, remark: r.remark }));
    next = noteChange(next, { step: STEP, action: 'adopted', resource: 'record', id: String(r.recordId), note: r.fqdn });
  }
  if (marks.zone) {
    await privateZone.setRemark(marks.zone.id, marks.zone.remark, token('zone-remark', marks.zone));
    next = noteChange(next, { step: STEP, action: 'adopted', resource: 'private zone', id: marks.zone.id });
  }
  if (marks.endpoint) {
    await privateLink.tagEndpoint(marks.endpoint.id, marks.endpoint.tags, token('endpoint-tags', marks.endpoint.tags));
    next = noteChange(next, { step: STEP, action: 'adopted', resource: 'endpoint', id: marks.endpoint.id });
  }
  return next;
}
