import type { World } from '../world.ts';
import { ApiError } from '../../rpc/error.ts';

export interface HandlerContext {
  world: World;
  /** The calling account (owner of the access key). */
  accountId: string;
  /** The access key that signed the call (STS answers whose it is). */
  accessKeyId: string;
}

// Decoded parameters, shaped by the action catalog.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Params = Record<string, any>;
export type Handler = (ctx: HandlerContext, p: Params) => Record<string, unknown>;

export const fail = (code: string, message: string, httpStatus = 400): never => {
  throw new ApiError(code, message, httpStatus);
};

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Offset-based NextToken paging as PrivateLink and ECS do it. */
export function pageByToken<T>(items: T[], p: Params, defaultSize: number, maxSize: number) {
  const size = p.MaxResults ?? defaultSize;
  if (size < 1 || size > maxSize) fail('InvalidParameter', `The parameter MaxResults must be between 1 and ${maxSize}.`);
  const start = p.NextToken ? Number.parseInt(String(p.NextToken), 36) : 0;
  if (!Number.isFinite(start) || start < 0) fail('InvalidParameter', 'The specified NextToken is invalid.');
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? (start + size).toString(36) : undefined;
  return { page, nextToken: next, maxResults: size };
}

/** PageNumber/PageSize paging as PrivateZone, ECS and VPC do it. */
export function pageByNumber<T>(items: T[], p: Params, defaultSize: number, maxSize: number) {
  const pageNumber = p.PageNumber ?? 1;
  const pageSize = p.PageSize ?? defaultSize;
  if (pageNumber < 1) fail('InvalidParameter', 'The parameter PageNumber must be at least 1.');
  if (pageSize < 1 || pageSize > maxSize) fail('InvalidParameter', `The parameter PageSize must be between 1 and ${maxSize}.`);
  const page = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return { page, pageNumber, pageSize, total: items.length, totalPages: Math.ceil(items.length / pageSize) };
}

export interface Tag {
  Key: string;
  Value: string;
}

export const tagsMatch = (have: Tag[], want: { Key?: string; Value?: string }[] | undefined) =>
  (want ?? []).every((w) => have.some((h) => h.Key === w.Key && (w.Value === undefined || h.Value === w.Value)));
