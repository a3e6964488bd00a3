import type { Metafile } from 'esbuild';

/**
 * Bytes each package contributes to one bundle's output (esbuild's `bytesInOutput`), keyed by
 * package name, with the repo's own code under `(own)`: what to cut when a bundle grows.
 */
export function packageBytes(metafile: Metafile): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(o.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m ? m[1]! : '(own)';
      out[key] = (out[key] ?? 0) + bytesInOutput;
    }
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}
