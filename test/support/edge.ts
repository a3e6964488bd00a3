import { dirname } from 'node:path';
import type { Stack } from '../../local/stack.ts';
import { zplChild } from './zpl-cli.ts';

/** A `zpl.link.requested` CloudEvent posted to the stack's edge as EventBridge delivers it; answers the intake's replies. */
export async function deliverTicket(stack: Stack, id: string, data: unknown): Promise<unknown> {
  const r = await fetch(`${stack.file.edgeUrl}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({
      id,
      source: 'acs.ticketing',
      type: 'zpl.link.requested',
      specversion: '1.0',
      datacontenttype: 'application/json',
      time: new Date().toISOString(),
      data,
    }),
  });
  return r.json();
}

/**
 * `zpl <args>` as a user runs it, against the stack this process serves: a child process, never
 * spawnSync, since the stack answers on this process's event loop.
 */
export function zplAgainst(stack: Stack, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return zplChild([...args, '--state-dir', dirname(stack.path)]);
}
