/**
 * KMS Secrets Manager's generic secrets, per account: each name's current value (the ACSCurrent
 * version GetSecretValue answers by default). Put there by the seed or the admin API, as a person
 * creates a secret in the console.
 */
export interface Secret {
  name: string;
  value: string;
  versionId: string;
  createdAt: number;
}

export class KmsModel {
  private readonly secrets = new Map<string, Secret>();

  put(accountId: string, name: string, value: string, now = 0): Secret {
    const before = this.secrets.get(`${accountId}|${name}`);
    const secret = { name, value, versionId: before ? `v${Number(before.versionId.slice(1)) + 1}` : 'v1', createdAt: now };
    this.secrets.set(`${accountId}|${name}`, secret);
    return secret;
  }

  get(accountId: string, name: string): Secret | undefined {
    return this.secrets.get(`${accountId}|${name}`);
  }
}
