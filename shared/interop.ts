/**
 * The Alibaba SDKs are CommonJS with `exports.default = Client`. Under Node's ESM interop
 * `default` is the whole `module.exports` (so the class is `.default.default`); loaders that
 * honour `__esModule` (vitest, some bundlers) give the class itself. This returns the class
 * either way.
 */
export function cjsClass<T>(namespaceDefault: unknown): T {
  const d = namespaceDefault as { default?: unknown; __esModule?: boolean } | undefined;
  return (typeof d === 'function' ? d : d?.default) as T;
}
