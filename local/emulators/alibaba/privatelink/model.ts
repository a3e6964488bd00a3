import type { Endpoint, EndpointService, EndpointStatus, EndpointZone, LingeringEnis } from '../../world.ts';

/**
 * PrivateLink's records and the parts of their life cycles that are its own (status from
 * timestamps when read). Connection status stays on World: it needs Zilliz's registrations.
 */
export class PrivateLinkModel {
  readonly endpoints = new Map<string, Endpoint>();
  readonly services = new Map<string, EndpointService>();
  readonly lingeringEnis: LingeringEnis[] = [];

  constructor(private readonly now: () => number) {}

  /** The caller's view: account and region are checked here once, not in each handler. */
  scoped(accountId: string, regionId: string) {
    return {
      /** The caller's endpoint in the region, or undefined (another account's or region's is not found). */
      endpoint: (endpointId: string | undefined): Endpoint | undefined => {
        const ep = endpointId === undefined ? undefined : this.endpoints.get(endpointId);
        return ep && ep.accountId === accountId && ep.regionId === regionId ? ep : undefined;
      },
      endpoints: (): Endpoint[] => [...this.endpoints.values()].filter((ep) => ep.accountId === accountId && ep.regionId === regionId),
      /** Services of the region the caller may see. */
      visibleServices: (): EndpointService[] =>
        [...this.services.values()].filter((s) => s.regionId === regionId && this.isServiceVisible(s, accountId)),
    };
  }

  /** An AddZone/RemoveZone on the endpoint is still running. */
  zoneOperationInProgress(ep: Endpoint): boolean {
    return ep.zoneOpUntil !== undefined && this.now() < ep.zoneOpUntil;
  }

  endpointStatus(ep: Endpoint): EndpointStatus {
    const now = this.now();
    if (ep.deletingAt !== undefined) return 'Deleting';
    if (now < ep.activeAt) return 'Creating';
    if (ep.pendingUntil !== undefined && now < ep.pendingUntil) return 'Pending';
    return 'Active';
  }

  endpointDomain(ep: Endpoint): string {
    const service = this.services.get(ep.serviceId);
    return `${ep.endpointId}-${ep.regionId}.${service?.serviceId ?? 'epsrv'}.${ep.regionId}.privatelink.aliyuncs.com`;
  }

  zoneDomain(ep: Endpoint, zone: EndpointZone): string {
    return `${ep.endpointId}-${zone.zoneId}.${this.services.get(ep.serviceId)?.serviceId ?? 'epsrv'}.${ep.regionId}.privatelink.aliyuncs.com`;
  }

  isServiceVisible(service: EndpointService, accountId: string): boolean {
    if (service.providerAccountId === accountId) return true;
    const at = service.visibleTo.get(accountId);
    return at !== undefined && this.now() >= at;
  }
}
