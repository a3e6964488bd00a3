/**
 * Runs `run` over `items` with at most `width` in flight, answers in the items' order: the
 * reads that fan out per cluster or per link stay within what the vendors' rate limits bear.
 */
export async function pool<T, R>(items: readonly T[], width: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await run(items[i]!);
      }
    }),
  );
  return out;
}
