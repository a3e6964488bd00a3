/**
 * Whether the deployment lets its functions take on `roleArn`: ZPL_ASSUME_ROLES (s.yaml
 * `vars.assumeRoles`) lists role ARNs, `*` matching any run of characters as in a RAM policy's
 * Resource (the same list is the `sts:AssumeRole` grant in dist/ram/zpl-steps.json). Role names
 * are case-insensitive in RAM. The steps refuse an unlisted role (shared/steps/run-as.ts); the
 * API refuses it before a run starts.
 */
export const roleAllowed = (allowed: readonly string[], roleArn: string): boolean =>
  allowed.some((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i').test(roleArn));

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
