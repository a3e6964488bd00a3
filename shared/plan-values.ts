import type { Tag } from './derived.ts';

/** Tags as a plan item's before/after show them: one key, one value (as Terraform's `tags` map). */
export const tagMap = (tags: Tag[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
