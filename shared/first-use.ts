/**
 * A value built the first time it is asked for, then kept. Zod schemas are objects built when
 * their module loads (a few microseconds each, hundreds per bundle); a function that reads only a
 * few of the catalog's responses should not build the rest while it starts. Calls at module level
 * are marked `@__PURE__` so esbuild still drops a table no function reads (esbuild 0.28
 * does not carry `@__NO_SIDE_EFFECTS__` on this declaration across modules).
 */
export function onFirstUse<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
