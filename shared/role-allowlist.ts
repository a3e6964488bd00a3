import { StepFailure } from './steps/types.ts';

/**
 * Whether the deployment lets its functions take on `roleArn`: ZPL_ASSUME_ROLES (s.yaml
 * `vars.assumeRoles`) lists role ARNs, `*` matching any run of characters as in a RAM policy's
 * Resource (the same list is the `sts:AssumeRole` grant in dist/ram/zpl-steps.json). Role names
 * are case-insensitive in RAM. The steps and the drift check refuse an unlisted role
 * (`refuseUnlisted`); the API refuses it before a run starts, with the same words.
 */
export const roleAllowed = (allowed: readonly string[], roleArn: string): boolean =>
  allowed.some((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i').test(roleArn));

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Why an unlisted role is refused, and the fix (the steps', the drift check's and the API's words). */
export const unlistedRoleMessage = (roleArn: string) =>
  `this deployment may not act as ${roleArn}: list it in s.yaml vars.assumeRoles (ZPL_ASSUME_ROLES) and redeploy`;

export function refuseUnlisted(allowed: readonly string[], roleArn: string): void {
  if (!roleAllowed(allowed, roleArn)) throw new StepFailure('AssumeRole.NotAllowed', unlistedRoleMessage(roleArn));
}
