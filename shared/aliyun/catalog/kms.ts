import { onFirstUse } from '../../first-use.ts';
import * as z from 'zod/mini';
import { str, type ActionDef } from './index.ts';

/**
 * KMS 2016-01-20, Secrets Manager: the functions read their secrets at run time
 * (shared/secrets.ts). GetSecretValue without VersionStage answers the ACSCurrent version
 * ("不输入该参数时返回ACSCurrent版本状态的凭据值", kms_2016-01-20.json); a secret that does not
 * exist is `Forbidden.ResourceNotFound` (404, its errorCodes).
 */
export const KMS = {
  GetSecretValue: {
    write: false,
    params: [str('SecretName', true)],
    response: /* @__PURE__ */ onFirstUse(() =>
      z.object({ RequestId: z.string(), SecretName: z.optional(z.string()), SecretData: z.string() }),
    ),
  },
} satisfies Record<string, ActionDef>;
