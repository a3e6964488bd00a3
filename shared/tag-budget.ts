import { endpointStateTags, ownershipTags, securityGroupTags, spreadTag, TAG, type Tag } from './derived.ts';
import type { LinkSpec } from './spec.ts';
import { tagProblem, TAG_LIMITS } from './tag-rules.ts';

/**
 * Every tag zpl will write on the endpoint and on the security group, at its largest, must fit
 * the vendors' rules (at most 20 per resource, shared/tag-rules.ts), so a spec that would fail
 * CreateVpcEndpoint / CreateSecurityGroup / TagResources is refused before any cloud call.
 */

/** A PrivateZone zone ID at its longest seen (32 hex digits), for the `zpl:bound` reserve. */
const ZONE_ID_PLACEHOLDER = 'f'.repeat(32);
/**
 * When allowedCidrs is left out, the VPC's blocks are used; a VPC has a primary block and a
 * few secondary ones. Reserve six of the longest form (one 113-character tag value).
 */
const VPC_CIDRS_PLACEHOLDER = Array.from({ length: 6 }, () => '255.255.255.255/32');
const PORT_PLACEHOLDER = 65535;

export function endpointTagsAtMost(spec: LinkSpec): Tag[] {
  // EnsureDns records zones it bound without creating them: one per cluster at most (cluster-zone), else one.
  const boundZones = Array.from({ length: spec.dnsLayout === 'cluster-zone' ? spec.clusters.length : 1 }, () => ZONE_ID_PLACEHOLDER);
  return [...ownershipTags(spec, { port: PORT_PLACEHOLDER }), ...endpointStateTags(spec), ...spreadTag(TAG.bound, boundZones)];
}

export function securityGroupTagsAtMost(spec: LinkSpec): Tag[] {
  const cidrs = spec.allowedCidrs ?? VPC_CIDRS_PLACEHOLDER;
  return securityGroupTags(spec, { cidrs, port: PORT_PLACEHOLDER });
}

/** The largest n ≤ count for which `fits(n)` holds (`fits` holds up to some n and not beyond); 0 when none. */
function mostThatFit(count: number, fits: (n: number) => boolean): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Problems named by the field to change: `clusters` (or `allowedCidrs`) when fewer of them would
 * fit, else `tags`, with how many would.
 */
export function resourceTagProblems(spec: LinkSpec): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const fit = (tags: Tag[]) => tags.length <= TAG_LIMITS.perResource;
  const over = (resource: string, tags: Tag[]) =>
    `${resource} would carry ${tags.length} tags (zpl's own and yours); Alibaba allows ${TAG_LIMITS.perResource} per resource`;

  const endpoint = endpointTagsAtMost(spec);
  if (!fit(endpoint)) {
    const clusters = mostThatFit(spec.clusters.length, (n) => fit(endpointTagsAtMost({ ...spec, clusters: spec.clusters.slice(0, n) })));
    problems.push(
      clusters > 0
        ? {
            path: ['clusters'],
            message: `${over('the endpoint', endpoint)}: at most ${clusters} of these clusters fit this link (fewer extra tags leave room for more)`,
          }
        : { path: ['tags'], message: `${over('the endpoint', endpoint)}: use fewer extra tags` },
    );
  }
  const group = securityGroupTagsAtMost(spec);
  if (!fit(group)) {
    const cidrs = spec.allowedCidrs;
    const blocks = cidrs ? mostThatFit(cidrs.length, (n) => fit(securityGroupTagsAtMost({ ...spec, allowedCidrs: cidrs.slice(0, n) }))) : 0;
    problems.push(
      blocks > 0
        ? {
            path: ['allowedCidrs'],
            message: `${over('the security group', group)}: at most ${blocks} of these CIDR blocks fit (fewer extra tags leave room for more)`,
          }
        : { path: ['tags'], message: `${over('the security group', group)}: use fewer extra tags` },
    );
  }
  for (const [resource, tags] of [
    ['the endpoint', endpoint],
    ['the security group', group],
  ] as const) {
    for (const tag of tags) {
      const problem = tagProblem(tag);
      if (problem && tag.Key.startsWith('zpl:'))
        problems.push({ path: [], message: `${resource}'s tag ${tag.Key} would break Alibaba's tag rules: ${problem}` });
    }
  }
  return problems;
}
