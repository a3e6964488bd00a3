/**
 * RAM's roles and custom policies, per account (RAM is global: no region). A policy keeps its
 * versions (`v1`, `v2`, …) with one default; a role lists the policies attached to it. What the
 * deploy step (deploy/ram-roles.ts) reads and writes, as ram_2015-05-01.json describes the answers.
 */

export interface RamRole {
  name: string;
  description?: string;
  trustPolicy: string;
  createdAt: number;
  updatedAt: number;
  /** `${PolicyType}:${PolicyName}` of each attached policy, in attach order. */
  attached: string[];
}

export interface RamPolicyVersion {
  versionId: string;
  document: string;
  createdAt: number;
}

export interface RamCustomPolicy {
  name: string;
  description?: string;
  versions: RamPolicyVersion[];
  defaultVersion: string;
  nextVersion: number;
  createdAt: number;
}

/**
 * "一个自定义权限策略最多可以有5个版本" — a custom policy holds at most five versions (RAM
 * limits, https://help.aliyun.com/zh/ram/product-overview/limits).
 */
export const MAX_POLICY_VERSIONS = 5;

export class RamModel {
  private readonly byAccount = new Map<string, { roles: Map<string, RamRole>; policies: Map<string, RamCustomPolicy> }>();

  of(accountId: string) {
    let account = this.byAccount.get(accountId);
    if (!account) {
      account = { roles: new Map(), policies: new Map() };
      this.byAccount.set(accountId, account);
    }
    return account;
  }
}
