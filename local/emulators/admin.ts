import { Hono } from 'hono';
import * as z from 'zod';
import type { EmulatedClock } from '../time/emulated-clock.ts';
import { bulkSeed } from './bulk-seed.ts';
import { applyHandEdit, handEditSchema } from './hand-edits.ts';
import type { CallLog } from './call-log.ts';
import { faultSchema, type FaultBook } from './faults.ts';
import { seedSchema, type Timings } from './fixtures.ts';
import type { World } from './world.ts';

/** The reserved admin path on the Alibaba emulator's port; no real API lives under it. */
export const ADMIN_PREFIX = '/__admin';

const timingsSchema = z.strictObject({
  serviceVisibleMs: z.number().nonnegative(),
  endpointActiveMs: z.number().nonnegative(),
  acceptMs: z.number().nonnegative(),
  connectMs: z.number().nonnegative(),
  changeMs: z.number().nonnegative(),
  zoneUnbindSettleMs: z.number().nonnegative(),
});

/**
 * Test and demo controls: seed fixtures, dump state, list calls, read, sleep on or move the clock,
 * inject faults, change life-cycle timings, make changes by hand (`/edits`).
 */
export function adminApp(world: World, clock: EmulatedClock, faults: FaultBook, log: CallLog): Hono {
  const app = new Hono().basePath(ADMIN_PREFIX);
  const bad = (message: string) => Response.json({ error: message }, { status: 400 });
  const json = async (req: Request) => {
    try {
      return await req.json();
    } catch {
      return undefined;
    }
  };

  app.get('/state', (c) => {
    world.settle();
    return c.json(world.dump() as object);
  });

  app.post('/seed', async (c) => {
    const parsed = seedSchema.safeParse(await json(c.req.raw));
    if (!parsed.success) return bad(z.prettifyError(parsed.error));
    world.seed(parsed.data);
    return c.json({ ok: true });
  });

  // Many provisioned links at once, every driftEvery-th drifted by hand (local/emulators/bulk-seed.ts).
  app.post('/links/bulk', async (c) => {
    const seeded = bulkSeed(world, await json(c.req.raw));
    if ('error' in seeded) return bad(seeded.error);
    return c.json(seeded);
  });

  app.get('/calls', (c) => {
    const since = Number(c.req.query('since') ?? 0);
    return c.json({ calls: log.calls.filter((call) => call.seq > since) });
  });
  app.delete('/calls', (c) => {
    log.clear();
    return c.json({ ok: true });
  });

  app.get('/clock', (c) => c.json({ now: clock.now(), mode: clock.mode, pace: clock.pace, timers: clock.pendingTimers().length }));
  // A step function's sleep (shared/remote-clock.ts): answered once the time has passed; the
  // request counts as idle meanwhile, so the clock can skip to it. A request closed early (a call's
  // timeout no longer needed) drops its sleep, so the clock does not skip to it for nothing.
  app.post('/clock/sleep', async (c) => {
    const parsed = z
      .object({
        ms: z
          .number()
          .nonnegative()
          .max(7 * 86_400_000),
      })
      .safeParse(await json(c.req.raw));
    if (!parsed.success) return bad('body must be {"ms": <non-negative number of ms, at most 7 days>}');
    const closed = c.req.raw.signal;
    await new Promise<void>((resolve) => {
      void clock.sleep(parsed.data.ms, closed).then(resolve);
      closed.addEventListener('abort', () => resolve(), { once: true });
    });
    return c.json({ now: clock.now() });
  });
  app.post('/clock/advance', async (c) => {
    const parsed = z.object({ ms: z.number().nonnegative() }).safeParse(await json(c.req.raw));
    if (!parsed.success) return bad('body must be {"ms": <non-negative number>}');
    clock.advance(parsed.data.ms);
    return c.json({ now: clock.now() });
  });

  app.get('/faults', (c) => c.json({ faults: faults.list() }));
  app.post('/faults', async (c) => {
    const parsed = z.union([faultSchema, z.array(faultSchema)]).safeParse(await json(c.req.raw));
    if (!parsed.success) return bad(z.prettifyError(parsed.error));
    for (const f of Array.isArray(parsed.data) ? parsed.data : [parsed.data]) faults.add(f);
    return c.json({ faults: faults.list() });
  });
  app.delete('/faults', (c) => {
    faults.clear();
    return c.json({ ok: true });
  });

  // Changes made by hand in the consoles (what drift checks look for).
  app.post('/edits', async (c) => {
    const parsed = handEditSchema.safeParse(await json(c.req.raw));
    if (!parsed.success) return bad(z.prettifyError(parsed.error));
    try {
      applyHandEdit(world, parsed.data);
    } catch (e) {
      return Response.json({ error: (e as Error).message }, { status: 404 });
    }
    return c.json({ ok: true });
  });

  app.get('/timings', (c) => c.json(world.timings));
  app.post('/timings', async (c) => {
    const parsed = timingsSchema.partial().safeParse(await json(c.req.raw));
    if (!parsed.success) return bad(z.prettifyError(parsed.error));
    world.timings = { ...world.timings, ...parsed.data } as Timings;
    return c.json(world.timings);
  });

  return app;
}
