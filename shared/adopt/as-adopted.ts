import type { AliyunApis } from '../aliyun/index.ts';
import type { PrivateLinkApi } from '../aliyun/privatelink.ts';
import type { PrivateZoneApi } from '../aliyun/pvtz.ts';
import type { SecurityGroupApi } from '../aliyun/ecs.ts';
import type { Tag } from '../derived.ts';
import { withTags } from './inspect.ts';
import type { AdoptMarks } from './types.ts';

/**
 * The clouds as they will read once the adoption's marks are written, without writing them: a
 * read-only view in which the named endpoint and group carry their new tags and the zone and
 * records their new remarks. `zpl plan`'s own code run over it (shared/plan.ts) says what apply
 * will change on the adopted resources, from the same lookups apply makes.
 */
const hasTags = (have: Tag[], wanted: Tag[] | undefined) =>
  (wanted ?? []).every((w) => have.some((h) => h.Key === w.Key && h.Value === w.Value));

function endpoints(base: PrivateLinkApi, mark: AdoptMarks['endpoint']): PrivateLinkApi {
  if (!mark) return base;
  return Object.assign(Object.create(base) as PrivateLinkApi, {
    async listEndpoints(filter: Parameters<PrivateLinkApi['listEndpoints']>[0] = {}) {
      const others = (await base.listEndpoints(filter)).filter((e) => e.EndpointId !== mark.id);
      const ep = (await base.listEndpoints({ ...filter, tags: undefined })).find((e) => e.EndpointId === mark.id);
      if (!ep) return others;
      const marked = { ...ep, Tags: withTags(ep.Tags ?? [], mark.tags) };
      return hasTags(marked.Tags, filter.tags) ? [...others, marked] : others;
    },
  });
}

function groups(base: SecurityGroupApi, mark: AdoptMarks['securityGroup']): SecurityGroupApi {
  if (!mark) return base;
  const asListed = (tags: Tag[]) => tags.map((t) => ({ TagKey: t.Key, TagValue: t.Value }));
  return Object.assign(Object.create(base) as SecurityGroupApi, {
    async find(filter: Parameters<SecurityGroupApi['find']>[0]) {
      const others = (await base.find(filter)).filter((g) => g.SecurityGroupId !== mark.id);
      const sg = (await base.find({ ...filter, tags: undefined })).find((g) => g.SecurityGroupId === mark.id);
      if (!sg) return others;
      const tags = withTags(
        sg.Tags.Tag.map((t) => ({ Key: t.TagKey, Value: t.TagValue })),
        mark.tags,
      );
      return hasTags(tags, filter.tags) ? [...others, { ...sg, Tags: { Tag: asListed(tags) } }] : others;
    },
  });
}

function zones(base: PrivateZoneApi, marks: AdoptMarks): PrivateZoneApi {
  const zone = marks.zone;
  const remarked = new Map(marks.records.map((r) => [r.recordId, r.remark]));
  if (!zone && remarked.size === 0) return base;
  const zoneRemark = <Z extends { ZoneId: string; Remark?: string }>(z: Z): Z =>
    z.ZoneId === zone?.id ? { ...z, Remark: zone.remark } : z;
  return Object.assign(Object.create(base) as PrivateZoneApi, {
    async zonesNamed(zoneName: string) {
      return (await base.zonesNamed(zoneName)).map(zoneRemark);
    },
    async zonesBoundTo(vpcId: string, regionId?: string) {
      return (await base.zonesBoundTo(vpcId, regionId)).map(zoneRemark);
    },
    async zoneInfo(zoneId: string) {
      const info = await base.zoneInfo(zoneId);
      return info && zoneRemark(info);
    },
    async records(zoneId: string, rr?: string) {
      return (await base.records(zoneId, rr)).map((r) => (remarked.has(r.RecordId) ? { ...r, Remark: remarked.get(r.RecordId) } : r));
    },
  });
}

export function asAdopted(apis: AliyunApis, marks: AdoptMarks): AliyunApis {
  return {
    ...apis,
    privateLink: endpoints(apis.privateLink, marks.endpoint),
    securityGroups: groups(apis.securityGroups, marks.securityGroup),
    privateZone: zones(apis.privateZone, marks),
  };
}
