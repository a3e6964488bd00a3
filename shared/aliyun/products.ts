/**
 * The Alibaba Cloud products the project calls, with their API versions, RAM service codes
 * and public endpoints (from the official OpenAPI metadata's endpoint lists).
 */
export const PRODUCTS = {
  Privatelink: { version: '2020-04-15', ram: 'privatelink', endpoint: (region: string) => `privatelink.${region}.aliyuncs.com` },
  // PrivateZone is global: one central endpoint whatever the region.
  pvtz: { version: '2018-01-01', ram: 'pvtz', endpoint: (_region: string) => 'pvtz.aliyuncs.com' },
  // ECS keeps the legacy dashed host in cn-hangzhou only.
  Ecs: {
    version: '2014-05-26',
    ram: 'ecs',
    endpoint: (region: string) => (region === 'cn-hangzhou' ? 'ecs-cn-hangzhou.aliyuncs.com' : `ecs.${region}.aliyuncs.com`),
  },
  Vpc: { version: '2016-04-28', ram: 'vpc', endpoint: (region: string) => `vpc.${region}.aliyuncs.com` },
  fnf: { version: '2019-03-15', ram: 'fnf', endpoint: (region: string) => `${region}.fnf.aliyuncs.com` },
  // EventBridge's control plane (buses, rules, targets) answers on eventbridge-console.<region>
  // (eventbridge 2020-04-01 metadata, `endpoints`); PutEvents is the data plane, not here.
  eventbridge: { version: '2020-04-01', ram: 'eventbridge', endpoint: (region: string) => `eventbridge-console.${region}.aliyuncs.com` },
  // STS answers in each region the project serves on sts.<region>.aliyuncs.com (sts 2015-04-01 metadata,
  // `endpoints`; the central sts.aliyuncs.com is listed only for finance regions).
  Sts: { version: '2015-04-01', ram: 'sts', endpoint: (region: string) => `sts.${region}.aliyuncs.com` },
  // RAM is global: ram.aliyuncs.com for every region (ram 2015-05-01 metadata, `endpoints`).
  Ram: { version: '2015-05-01', ram: 'ram', endpoint: (_region: string) => 'ram.aliyuncs.com' },
} as const;

export type Product = keyof typeof PRODUCTS;

export const productByVersion = (version: string): Product | undefined =>
  (Object.keys(PRODUCTS) as Product[]).find((p) => PRODUCTS[p].version === version);
