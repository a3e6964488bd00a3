/**
 * How much one link may hold, each number a vendor's documented limit (README, "Limits"). The
 * spec refuses more at its edge — the CLI, the API and ticket intake all parse it — so no call
 * is made for a link that could not fit; tag-budget.ts and rule-budget.ts refine them for a spec.
 */
export const LINK_LIMITS = {
  /**
   * CreateVpcEndpoint `Zone`: maxItems 10, "您最多可以设置10个可用区" (privatelink_2020-04-15.json,
   * CreateVpcEndpoint, Zone.N.ZoneId).
   */
  zones: 10,
  /**
   * "出方向和入方向安全组规则数量不能超过200条" (ecs_2014-05-26.json, AuthorizeSecurityGroup description;
   * https://help.aliyun.com/document_detail/25412.html#SecurityGroupQuota1). Each allowed CIDR block
   * takes one TCP rule, and one ICMP rule more with `icmp`.
   */
  securityGroupRules: 200,
  /**
   * Clusters are recorded on the endpoint (`zpl:clusters`, spread over tags of ≤128 characters) and
   * a resource carries at most 20 tags ("最多支持20个标签键", privatelink_2020-04-15.json TagResources
   * Tag.N.Key). With the shortest cluster IDs (15 characters) and nothing else, 104 fit; the tag
   * budget decides for a given spec (65 with 16-digit IDs and the defaults).
   */
  clusters: 104,
  /** Extra tags: zpl's own take up to 10 of the 20 a resource may carry. */
  userTags: 10,
} as const;

/**
 * The account quotas a link counts against, at their documented defaults (an account may have had
 * one raised in Quota Center, https://quotas.console.aliyun.com; no API zpl calls reads the value).
 */
export const ACCOUNT_QUOTAS = {
  /**
   * `pvl_quota_total_ep_per_vpc`: "Number of endpoints that can be created in a single virtual
   * private cloud (VPC)", default 1,000 (https://www.alibabacloud.com/help/en/privatelink/latest/limits);
   * over it CreateVpcEndpoint answers `QuotaExceeded.totalEpPerVpc` (privatelink_2020-04-15.json).
   */
  endpointsPerVpc: 1000,
  /** "Each account permits up to 500 zones" (PrivateZone limits, https://www.alibabacloud.com/help/en/dns/pvtz-restrictions-on-use). */
  privateZones: 500,
} as const;
