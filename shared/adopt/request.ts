import * as z from '../zod.ts';
import { onFirstUse } from '../first-use.ts';
import { ids } from '../spec.ts';

/**
 * What adopting is asked with, besides the spec: the named resources and whether to write the
 * marks. The API's body (`POST /v1/links/adopt`), the flow's input and the step read it. Built
 * on first use (first-use.ts): only the adopt route and the Adopt step parse it.
 */
const adoptFields = () => ({
  endpointId: z
    .string()
    .check(z.regex(/^ep-[0-9a-z]{6,32}$/, { error: 'must be an endpoint ID (ep-…)' }), z.describe('the interface endpoint to adopt')),
  securityGroupId: z.optional(
    z
      .string()
      .check(
        z.regex(ids.securityGroup, { error: 'must be a security group ID (sg-…)' }),
        z.describe("one of the endpoint's security groups to adopt; its others stay yours"),
      ),
  ),
  zoneId: z.optional(
    z
      .string()
      .check(
        z.regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be a PrivateZone zone ID' }),
        z.describe('the private zone bound to the VPC to adopt, with the records of the spec’s clusters in it'),
      ),
  ),
  confirm: z
    ._default(z.boolean(), false)
    .check(z.describe('write the ownership marks; false (the default) only shows what would be adopted')),
});

/** The flow's `adopt` input. */
export const adoptInput = /* @__PURE__ */ onFirstUse(() => z.strictObject(adoptFields()));
export type AdoptRequest = z.infer<ReturnType<typeof adoptInput>>;

/** `POST /v1/links/adopt`. */
export const adoptRequest = /* @__PURE__ */ onFirstUse(() =>
  z.strictObject({ spec: z.unknown().check(z.describe('the link spec, as for POST /v1/links')), ...adoptFields() }),
);
