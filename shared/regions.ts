/**
 * Regions where Zilliz Cloud offers PrivateLink on Alibaba Cloud, with the zones Zilliz
 * documents for its endpoint service (Zilliz docs "创建私网连接（阿里云）"; Shanghai added later).
 * The endpoint service itself is the authority: validation re-checks zones against it.
 */
export const ZILLIZ_ZONES = {
  'cn-hangzhou': ['cn-hangzhou-h', 'cn-hangzhou-j', 'cn-hangzhou-k'],
  'cn-beijing': ['cn-beijing-g', 'cn-beijing-h', 'cn-beijing-i'],
  'cn-shenzhen': ['cn-shenzhen-d', 'cn-shenzhen-e', 'cn-shenzhen-f'],
  'cn-shanghai': ['cn-shanghai-l', 'cn-shanghai-m', 'cn-shanghai-n'],
} as const;

export type Region = keyof typeof ZILLIZ_ZONES;
export const REGIONS = Object.keys(ZILLIZ_ZONES) as Region[];

/** Zilliz names Alibaba regions with an `ali-` prefix (cloud-facts §1). */
export const zillizRegionId = (region: Region): string => `ali-${region}`;

export const isRegion = (value: string): value is Region => value in ZILLIZ_ZONES;
