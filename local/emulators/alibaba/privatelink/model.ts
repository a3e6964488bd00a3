import type { Timeline } from '../../fixtures.ts';
import type { Tag } from '../handler.ts';

export interface EndpointService {
  serviceId: string;
  serviceName: string;
  serviceDomain: string;
  regionId: string;
  zones: string[];
  providerAccountId: string;
  /** accountId → when the service becomes visible to it (after Zilliz allowlisting). */
  visibleTo: Map<string, number>;
  /** Which identifier Zilliz's `endpointService` field carries for it. */
  reportedAs: 'serviceName' | 'serviceId';
}

export interface EndpointZone {
  zoneId: string;
  vSwitchId: string;
  eniId: string;
  eniIp: string;
  readyAt: number;
  removingAt?: number;
}

export interface Endpoint {
  endpointId: string;
  accountId: string;
  regionId: string;
  vpcId: string;
  serviceId: string;
  name: string;
  description: string;
  securityGroupIds: string[];
  tags: Tag[];
  zones: EndpointZone[];
  createdAt: number;
  activeAt: number;
  pendingUntil?: number;
  /** Until when an AddZone/RemoveZone on this endpoint is in progress (other changes: ConcurrentCallNotSupported). */
  zoneOpUntil?: number;
  deletingAt?: number;
}

/** The network interfaces of a deleted endpoint, still holding its security groups until they are released. */
export interface LingeringEnis {
  endpointId: string;
  securityGroupIds: string[];
  releasedAt: number;
}

export type EndpointStatus = 'Creating' | 'Active' | 'Pending' | 'Deleting';
export type ConnectionStatus = 'Disconnected' | 'Connecting' | 'Connected' | 'Deleting';

/** What PrivateLink needs from the endpoint services' provider (Zilliz, in the emulated world). */
export interface ServiceProvider {
  /** When the provider accepted the endpoint's connection; undefined while it has not (or will not). */
  acceptedAt(ep: Endpoint): number | undefined;
  /** The endpoint's deletion has finished: the provider forgets it. */
  forget(endpointId: string): void;
}

/**
 * PrivateLink's records and their life cycles, each status derived from timestamps and the clock
 * when read (never timers, so time that skips ahead is exact).
 */
export class PrivateLinkModel {
  readonly endpoints = new Map<string, Endpoint>();
  readonly services = new Map<string, EndpointService>();
  readonly lingeringEnis: LingeringEnis[] = [];

  constructor(
    private readonly time: Timeline,
    private readonly provider: ServiceProvider,
  ) {}

  /** The caller's view: account and region are checked here once, not in each handler. */
  scoped(accountId: string, regionId: string) {
    return {
      /** The caller's endpoint in the region, or undefined (another account's or region's is not found). */
      endpoint: (endpointId: string | undefined): Endpoint | undefined => {
        const ep = endpointId === undefined ? undefined : this.endpoints.get(endpointId);
        return ep && ep.accountId === accountId && ep.regionId === regionId ? ep : undefined;
      },
      endpoints: (): Endpoint[] => [...this.endpoints.values()].filter((ep) => ep.accountId === accountId && ep.regionId === regionId),
      /** The region's service of that ID, else of that name, whether the caller may see it or not. */
      service: (serviceId: string | undefined, serviceName: string | undefined): EndpointService | undefined => {
        const service =
          (serviceId && this.services.get(serviceId)) ||
          (serviceName && [...this.services.values()].find((s) => s.serviceName === serviceName)) ||
          undefined;
        return service && service.regionId === regionId ? service : undefined;
      },
      /** Services of the region the caller may see. */
      visibleServices: (): EndpointService[] =>
        [...this.services.values()].filter((s) => s.regionId === regionId && this.isServiceVisible(s, accountId)),
    };
  }

  serviceInRegion(regionId: string): EndpointService | undefined {
    return [...this.services.values()].find((s) => s.regionId === regionId);
  }

  /** Drops endpoints and zones whose deletion has finished, and ENIs released since. */
  settle(): void {
    const now = this.time.now();
    const { changeMs } = this.time.timings;
    for (const [id, ep] of this.endpoints) {
      if (ep.deletingAt !== undefined && now >= ep.deletingAt + changeMs) {
        this.endpoints.delete(id);
        this.provider.forget(id);
        // Its ENIs outlive it by another changeMs (exact from timestamps, whenever settle runs):
        // ECS DeleteSecurityGroup answers DependencyViolation meanwhile (cloud-facts §7).
        this.lingeringEnis.push({
          endpointId: id,
          securityGroupIds: [...ep.securityGroupIds],
          releasedAt: ep.deletingAt + 2 * changeMs,
        });
        continue;
      }
      ep.zones = ep.zones.filter((z) => z.removingAt === undefined || now < z.removingAt + changeMs);
    }
    for (let i = this.lingeringEnis.length - 1; i >= 0; i--) if (now >= this.lingeringEnis[i]!.releasedAt) this.lingeringEnis.splice(i, 1);
  }

  /** An endpoint (deleting or not) or the lingering ENIs of a deleted one still hold the group. */
  securityGroupInUse(securityGroupId: string): boolean {
    const now = this.time.now();
    return (
      [...this.endpoints.values()].some((ep) => ep.securityGroupIds.includes(securityGroupId)) ||
      this.lingeringEnis.some((l) => now < l.releasedAt && l.securityGroupIds.includes(securityGroupId))
    );
  }

  /** Marks a zone operation running on the endpoint (Pending) for `changeMs`; returns when it started. */
  startZoneOperation(ep: Endpoint): number {
    const now = this.time.now();
    ep.pendingUntil = now + this.time.timings.changeMs;
    ep.zoneOpUntil = ep.pendingUntil;
    return now;
  }

  /** An AddZone/RemoveZone on the endpoint is still running. */
  zoneOperationInProgress(ep: Endpoint): boolean {
    return ep.zoneOpUntil !== undefined && this.time.now() < ep.zoneOpUntil;
  }

  endpointStatus(ep: Endpoint): EndpointStatus {
    const now = this.time.now();
    if (ep.deletingAt !== undefined) return 'Deleting';
    if (now < ep.activeAt) return 'Creating';
    if (ep.pendingUntil !== undefined && now < ep.pendingUntil) return 'Pending';
    return 'Active';
  }

  /** Disconnected until the provider accepts, then Connecting for `connectMs`, then Connected. */
  connectionStatus(ep: Endpoint): ConnectionStatus {
    if (ep.deletingAt !== undefined) return 'Deleting';
    const accepted = this.provider.acceptedAt(ep);
    const now = this.time.now();
    if (accepted === undefined || now < accepted) return 'Disconnected';
    return now < accepted + this.time.timings.connectMs ? 'Connecting' : 'Connected';
  }

  zoneStatus(ep: Endpoint, zone: EndpointZone): string {
    if (zone.removingAt !== undefined || ep.deletingAt !== undefined) return 'Deleting';
    if (this.time.now() < zone.readyAt) return 'Creating';
    const connection = this.connectionStatus(ep);
    return connection === 'Disconnected' ? 'Wait' : connection;
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
    return at !== undefined && this.time.now() >= at;
  }

  /** A JSON-safe copy, each status as it reads now. */
  dump() {
    return {
      services: [...this.services.values()].map((s) => ({ ...s, visibleTo: Object.fromEntries(s.visibleTo) })),
      endpoints: [...this.endpoints.values()].map((ep) => ({
        ...ep,
        endpointStatus: this.endpointStatus(ep),
        connectionStatus: this.connectionStatus(ep),
        zones: ep.zones.map((z) => ({ ...z, zoneStatus: this.zoneStatus(ep, z) })),
      })),
      lingeringEnis: this.lingeringEnis,
    };
  }
}
