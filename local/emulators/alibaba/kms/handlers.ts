import { type Handler, fail, iso } from '../handler.ts';

/**
 * KMS 2016-01-20 GetSecretValue (generic secrets, ACSCurrent). A name may also be the secret's
 * ARN, `acs:kms:${region}:${account}:secret/${secret-name}` (the SecretName description); a
 * secret that does not exist is `Forbidden.ResourceNotFound`, "Resource not found.", HTTP 404
 * (kms_2016-01-20.json, GetSecretValue errorCodes).
 */
const ARN = /^acs:kms:[a-z0-9-]+:(\d+):secret\/(.+)$/;

export const kmsHandlers: Record<string, Handler> = {
  GetSecretValue(ctx, p) {
    const arn = ARN.exec(String(p.SecretName));
    const [account, name] = arn ? [arn[1]!, arn[2]!] : [ctx.accountId, String(p.SecretName)];
    const secret = ctx.world.kms.get(account, name);
    if (!secret) return fail('Forbidden.ResourceNotFound', 'Resource not found.', 404);
    return {
      SecretName: secret.name,
      SecretType: 'Generic',
      SecretDataType: 'text',
      SecretData: secret.value,
      VersionId: secret.versionId,
      VersionStages: { VersionStage: ['ACSCurrent'] },
      CreateTime: iso(secret.createdAt),
    };
  },
};
