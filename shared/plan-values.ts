import type { Tag } from './derived.ts';

/** Tags as a plan item's before/after show them: one key, one value (as Terraform's `tags` map). */
export const tagMap = (tags: Tag[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.Key, t.Value]));

/** A plan item's before and after for what stays as it is, is created, or goes. */
export const unchanged = (value: Record<string, unknown>) => ({ before: value, after: value });
export const created = (value: Record<string, unknown>) => ({ before: null, after: value });
export const removed = (value: Record<string, unknown>) => ({ before: value, after: null });
