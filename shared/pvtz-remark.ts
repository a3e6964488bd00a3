/**
 * The ownership mark zpl writes on PrivateZone zones and records (they carry no tags, only a
 * Remark). PrivateZone refuses remarks outside "50 characters long. It can only contain
 * numbers,Chinese,English and special characters: _ - , . ，。" (`Zone.Remark`, HTTP 400:
 * pvtz_2018-01-01 metadata, UpdateZoneRemark and SetProxyPattern errorCodes; record remarks are
 * taken to follow the same rule), so the mark is `zpl.link.<linkId>` (25 characters).
 */
const PREFIX = 'zpl.link.';

/** The form written by zpl before the rule was known; refused by the real service, still recognised. */
const LEGACY_PREFIX = 'zpl:link=';

/**
 * A zone or record someone else made that `zpl adopt` took over for a link (`zpl.adopted.<linkId>`,
 * 28 characters): the link's from then on, exactly as one it made, and the mark says so.
 */
const ADOPTED_PREFIX = 'zpl.adopted.';

export const linkRemark = (linkId: string) => `${PREFIX}${linkId}`;
export const adoptedRemark = (linkId: string) => `${ADOPTED_PREFIX}${linkId}`;

/** The link a remark marks as its own, in any form, or undefined for anyone else's remark. */
export function remarkLinkId(remark: string | undefined): string | undefined {
  if (!remark) return undefined;
  for (const prefix of [PREFIX, ADOPTED_PREFIX, LEGACY_PREFIX]) {
    if (remark.startsWith(prefix) && remark.length > prefix.length) return remark.slice(prefix.length);
  }
  return undefined;
}

/** Whether the remark marks the thing as this link's (either form). */
export const remarkIsLink = (remark: string | undefined, linkId: string) => remarkLinkId(remark) === linkId;

/** Whether the mark records an adoption rather than a creation. */
export const remarkIsAdopted = (remark: string | undefined) => Boolean(remark?.startsWith(ADOPTED_PREFIX));

/** Whether the remark is the old form, to be rewritten when zpl next touches the zone. */
export const remarkIsLegacy = (remark: string | undefined) => Boolean(remark?.startsWith(LEGACY_PREFIX));
