/**
 * A value built the first time it is asked for, then kept. Zod schemas are objects built when
 * their module loads (a few microseconds each, hundreds per bundle); a function that reads only a
 * few of the catalog's responses should not build the rest while it starts.
 */
/* @__NO_SIDE_EFFECTS__ */
export function onFirstUse<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
