import * as z from '../zod.ts';
import { REGIONS } from '../regions.ts';
import { assumeRoleSchema, ids } from '../spec.ts';
import { MAX_DRIFT_ROLES } from '../drift/roles.ts';
import { onFirstUse } from '../first-use.ts';

/**
 * The request bodies the router checks (besides the link spec); the OpenAPI document is
 * generated from these, the spec schema and the answers' shapes (./responses.ts). Built when their
 * route is first asked (first-use.ts).
 */
export const teardownRequest = /* @__PURE__ */ onFirstUse(() =>
  z.strictObject({
    spec: z.unknown().check(z.describe('the link spec, as for POST /v1/links')),
    clusters: z
      .optional(z.array(z.string().check(z.regex(ids.cluster, { error: 'must be a cluster ID' }))).check(z.minLength(1), z.maxLength(50)))
      .check(z.describe('remove only these clusters (their DNS records); the whole link when absent')),
  }),
);

export const driftRequest = /* @__PURE__ */ onFirstUse(() =>
  z.strictObject({
    regions: z.optional(z.array(z.enum(REGIONS as [string, ...string[]])).check(z.maxLength(REGIONS.length))),
    remediate: z._default(z.boolean(), false).check(z.describe('re-run the provision flow for each drifted link')),
    roles: z
      .optional(z.array(assumeRoleSchema).check(z.maxLength(MAX_DRIFT_ROLES)))
      .check(z.describe('other accounts to check, each as its role (one vars.assumeRoles lists)')),
  }),
);
