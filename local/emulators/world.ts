import type { Clock } from '../../shared/clock.ts';
import { IdFactory } from './ids.ts';
import { EcsModel } from './alibaba/ecs/model.ts';
import { EventBridgeModel } from './alibaba/eventbridge/model.ts';
import { PrivateLinkModel, type Endpoint } from './alibaba/privatelink/model.ts';
import { PrivateZoneModel } from './alibaba/pvtz/model.ts';
import { StsModel, type Principal } from './alibaba/sts/model.ts';
import { VpcModel } from './alibaba/vpc/model.ts';
import { seedSchema, type Seed, type SeedInput, type Timings } from './fixtures.ts';

/**
 * The emulated clouds' state, in memory: one model per Alibaba product (each beside its handlers
 * under alibaba/<product>/, holding its records and life cycles), wired to each other here, plus
 * the accounts, the Zilliz provider side and the seeding. Asynchronous life cycles are not timers:
 * each status is derived from timestamps and the clock when read, so time that skips ahead is exact.
 */

export interface ZillizCluster {
  clusterId: string;
  projectId: string;
  regionId: string;
  plan: string;
  status: string;
  port: number;
  /** The hostname Zilliz assigns once a private link is connected. */
  privateLinkHost?: string;
}

export type ZillizProject = Pick<Seed['zilliz']['projects'][number], 'projectId' | 'review' | 'endpointStatusWords' | 'allowlistRepeat'>;

export interface ZillizRegistration {
  endpointId: string;
  regionId: string;
  registeredAt: number;
}

/** An account's standing with the products: what a fresh or overdue account lacks. */
export interface Account {
  accountId: string;
  privateLinkServiceLinkedRole: boolean;
  privateLinkOpened: boolean;
  privateZoneStatus: 'CLOSED' | 'OPENED' | 'IN_DEBT' | 'IN_DEBT_OVER_DUE';
}

export class World {
  readonly ids = new IdFactory();
  readonly accounts = new Map<string, Account>();
  /** accessKeyId → secret and owner. */
  /** accessKeyId → secret, owner, and the RAM actions its policies do not allow (`deny` in the seed). */
  readonly accessKeys = new Map<string, { secret: string; accountId: string; deny?: ReadonlySet<string> }>();
  readonly vpc = new VpcModel();
  /** A group is in use while PrivateLink's ENIs hold it. */
  readonly ecs = new EcsModel((securityGroupId) => this.privatelink.securityGroupInUse(securityGroupId));
  /** Zilliz provides the endpoint services: it accepts connections, and forgets deleted endpoints. */
  readonly privatelink = new PrivateLinkModel(this, {
    acceptedAt: (ep) => this.acceptedAt(ep),
    forget: (endpointId) => {
      for (const registrations of this.zilliz.registrations.values()) registrations.delete(endpointId);
    },
  });
  readonly pvtz = new PrivateZoneModel(this, this.ids);
  /** EventBridge's buses, rules and targets (the local edge delivers what they match). */
  readonly eventbridge = new EventBridgeModel();
  /** Who each access key is (GetCallerIdentity). */
  readonly sts = new StsModel();
  // Shorthands for the records the tests and the bench read most.
  get vpcs() {
    return this.vpc.vpcs;
  }
  get securityGroups() {
    return this.ecs.securityGroups;
  }
  get endpoints() {
    return this.privatelink.endpoints;
  }
  get zones() {
    return this.pvtz.zones;
  }
  readonly publicDns: { name: string; type: 'A' | 'CNAME'; value: string }[] = [];
  readonly zilliz = {
    apiKeys: new Map<string, Set<string>>(),
    projects: new Map<string, ZillizProject>(),
    clusters: new Map<string, ZillizCluster>(),
    /** `${projectId}|${regionId}|${accountId}` */
    allowlist: new Set<string>(),
    registrations: new Map<string, Map<string, ZillizRegistration>>(),
  };

  constructor(
    readonly clock: Clock,
    public timings: Timings,
  ) {}

  now(): number {
    return this.clock.now();
  }

  /** Adds fixtures (idempotent per ID: seeding twice replaces nothing that exists). */
  seed(input: SeedInput): void {
    const seed = seedSchema.parse(input);
    for (const account of seed.accounts) {
      const { accountId, privateLinkServiceLinkedRole, privateLinkOpened, privateZoneStatus } = account;
      this.accounts.set(accountId, { accountId, privateLinkServiceLinkedRole, privateLinkOpened, privateZoneStatus });
      for (const key of account.accessKeys) {
        this.accessKeys.set(key.accessKeyId, {
          secret: key.accessKeySecret,
          accountId: account.accountId,
          ...(key.deny.length ? { deny: new Set(key.deny) } : {}),
        });
        const principal: Principal = key.role
          ? { kind: 'AssumedRoleUser', ...key.role }
          : key.ramUser
            ? { kind: 'RAMUser', userName: key.ramUser }
            : { kind: 'Account' };
        this.sts.register(key.accessKeyId, account.accountId, principal);
      }
      for (const vpc of account.vpcs) {
        if (this.vpc.vpcs.has(vpc.vpcId)) continue;
        this.vpc.vpcs.set(vpc.vpcId, {
          vpcId: vpc.vpcId,
          regionId: vpc.regionId,
          accountId: account.accountId,
          cidrBlock: vpc.cidrBlock,
          secondaryCidrBlocks: vpc.secondaryCidrBlocks,
          vpcType: vpc.vpcType,
          vSwitches: vpc.vSwitches.map((v) => ({ ...v, vpcId: vpc.vpcId, availableIps: v.availableIps, nextHost: 10 })),
        });
      }
      for (const sg of account.securityGroups) {
        if (this.ecs.securityGroups.has(sg.securityGroupId)) continue;
        this.ecs.securityGroups.set(sg.securityGroupId, {
          ...sg,
          accountId: account.accountId,
          description: '',
          tags: [],
          rules: [],
          createdAt: this.now(),
        });
      }
    }
    // Zones after every account's VPCs, so a binding to another account's VPC takes that VPC's type and owner.
    for (const account of seed.accounts) {
      for (const zone of account.zones) {
        const added = this.pvtz.addZone(account.accountId, {
          zoneName: zone.zoneName,
          proxyPattern: zone.proxyPattern,
          remark: zone.remark,
          bindings: zone.bindings.map((b) => ({
            vpcId: b.vpcId,
            regionId: b.regionId,
            vpcType: b.vpcType ?? this.vpc.vpcs.get(b.vpcId)?.vpcType ?? 'STANDARD',
            vpcUserId: b.vpcUserId ?? this.vpc.vpcs.get(b.vpcId)?.accountId ?? account.accountId,
          })),
        });
        for (const r of zone.records) this.pvtz.addRecord(added, { rr: r.rr, type: r.type, value: r.value, ttl: r.ttl, remark: r.remark });
      }
    }
    for (const k of seed.zilliz.apiKeys) this.zilliz.apiKeys.set(k.apiKey, new Set(k.projectIds));
    for (const p of seed.zilliz.projects) {
      this.zilliz.projects.set(p.projectId, {
        projectId: p.projectId,
        review: p.review,
        endpointStatusWords: p.endpointStatusWords,
        allowlistRepeat: p.allowlistRepeat,
      });
      for (const c of p.clusters) this.zilliz.clusters.set(c.clusterId, { ...c, projectId: p.projectId });
    }
    for (const s of seed.zilliz.endpointServices) {
      if (this.privatelink.serviceInRegion(s.regionId)) continue;
      this.privatelink.services.set(s.serviceId, {
        serviceId: s.serviceId,
        serviceName: `com.aliyuncs.privatelink.${s.regionId}.${s.serviceId}`,
        serviceDomain: `${s.serviceId}.${s.regionId}.privatelink.aliyuncs.com`,
        regionId: s.regionId,
        zones: s.zones,
        providerAccountId: s.providerAccountId,
        visibleTo: new Map(),
        reportedAs: s.reportedAs,
      });
    }
    this.publicDns.push(...seed.publicDns);
  }

  /** Brings every record up to the clock: finished deletions disappear. */
  settle(): void {
    this.privatelink.settle();
  }

  // ── Zilliz provider side ────────────────────────────────────────────────────────────────

  /** When Zilliz (the provider) accepts the connection: registered, plus its review time, once Active. */
  acceptedAt(ep: Endpoint): number | undefined {
    const zillizRegion = `ali-${ep.regionId}`;
    let earliest: number | undefined;
    for (const [projectId, registrations] of this.zilliz.registrations) {
      const reg = registrations.get(ep.endpointId);
      if (reg && reg.regionId === zillizRegion && this.zilliz.projects.get(projectId)?.review !== 'reject') {
        const at = Math.max(reg.registeredAt + this.timings.acceptMs, ep.activeAt);
        earliest = earliest === undefined ? at : Math.min(earliest, at);
      }
    }
    return earliest;
  }

  /** Zilliz's view of a registration: pending while it reviews, then accepted or rejected. */
  zillizReview(projectId: string, reg: ZillizRegistration): 'pending' | 'accepted' | 'rejected' {
    const ep = this.privatelink.endpoints.get(reg.endpointId);
    if (this.zilliz.projects.get(projectId)?.review === 'reject')
      return this.now() >= reg.registeredAt + this.timings.acceptMs ? 'rejected' : 'pending';
    const accepted = ep ? this.acceptedAt(ep) : undefined;
    return accepted !== undefined && this.now() >= accepted ? 'accepted' : 'pending';
  }

  /**
   * Describe cluster's `privateLinkAddress`: "" until a private link of the cluster's project and
   * region is connected (zdoc_cn list-clusters-v2 shows a Dedicated cluster with ""; the guide:
   * Zilliz assigns the name after the endpoint is registered), then `https://<host>:<port>`.
   */
  privateLinkAddress(cluster: ZillizCluster): string {
    const registrations = this.zilliz.registrations.get(cluster.projectId)?.values() ?? [];
    const linked = [...registrations].some((r) => {
      const ep = r.regionId === cluster.regionId ? this.privatelink.endpoints.get(r.endpointId) : undefined;
      return ep !== undefined && this.privatelink.connectionStatus(ep) === 'Connected';
    });
    if (!linked) return '';
    return `https://${cluster.privateLinkHost ?? defaultPrivateLinkHost(cluster)}:${cluster.port}`;
  }

  /** Zilliz allowlists an Alibaba account: its endpoint service in that region turns visible later. Says whether it already was. */
  allowlist(projectId: string, zillizRegionId: string, accountId: string): { repeat: boolean } {
    const key = `${projectId}|${zillizRegionId}|${accountId}`;
    const repeat = this.zilliz.allowlist.has(key);
    this.zilliz.allowlist.add(key);
    const service = this.privatelink.serviceInRegion(zillizRegionId.replace(/^ali-/, ''));
    if (service && !service.visibleTo.has(accountId)) service.visibleTo.set(accountId, this.now() + this.timings.serviceVisibleMs);
    return { repeat };
  }

  /** A JSON-safe copy of everything, for the admin API and debugging. */
  dump(): unknown {
    const { services, endpoints, lingeringEnis } = this.privatelink.dump();
    return {
      now: this.now(),
      vpcs: [...this.vpc.vpcs.values()],
      securityGroups: [...this.ecs.securityGroups.values()],
      services,
      endpoints,
      lingeringEnis,
      zones: [...this.pvtz.zones.values()],
      zilliz: {
        projects: [...this.zilliz.projects.keys()],
        clusters: [...this.zilliz.clusters.values()],
        allowlist: [...this.zilliz.allowlist],
        registrations: Object.fromEntries([...this.zilliz.registrations].map(([p, m]) => [p, [...m.values()]])),
      },
    };
  }
}

/** Zilliz regions whose private-zone name the zdoc_cn Alibaba guide publishes ("以下为终端节点所在区域对应的 Zone 名称"). */
const PUBLISHED_LAYOUT_REGIONS = new Set(['ali-cn-hangzhou', 'ali-cn-beijing', 'ali-cn-shenzhen', 'ali-cn-shanghai']);

/**
 * The host the emulated Zilliz assigns when a seed names none: the guide's layout where it is
 * published; elsewhere a name in the style of zdoc's list-clusters example
 * (`in01-…-privatelink.aws-us-west-2.vectordb.zillizcloud.com`), on purpose not the China layout,
 * so a product that guesses the name instead of reading `privateLinkAddress` fails.
 */
export function defaultPrivateLinkHost(cluster: Pick<ZillizCluster, 'clusterId' | 'regionId'>): string {
  const domain = PUBLISHED_LAYOUT_REGIONS.has(cluster.regionId) ? 'vectordb.zilliz.com.cn' : 'vectordb.zillizcloud.com';
  return `${cluster.clusterId}-privatelink.${cluster.regionId}.${domain}`;
}
