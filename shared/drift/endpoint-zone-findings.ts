import type { Finding } from './types.ts';

/**
 * The endpoint's zones against the recorded ones: a zone it lost (`endpoint.zone_lost`) and a zone
 * it has beyond them (`endpoint.zone_extra`: billed, with a network interface of its own, and not
 * asked for; remediation removes it). A zone being deleted is already going.
 */
export function endpointZoneFindings(endpointId: string, desired: string[], zones: { ZoneId: string; ZoneStatus: string }[]): Finding[] {
  const findings: Finding[] = [];
  const have = new Set(zones.map((z) => z.ZoneId));
  for (const z of desired)
    if (!have.has(z)) findings.push({ kind: 'endpoint.zone_lost', detail: `endpoint ${endpointId} is no longer in ${z}` });
  for (const z of zones)
    if (z.ZoneStatus !== 'Deleting' && !desired.includes(z.ZoneId))
      findings.push({ kind: 'endpoint.zone_extra', detail: `endpoint ${endpointId} is also in ${z.ZoneId} (billed, not in the spec)` });
  return findings;
}
