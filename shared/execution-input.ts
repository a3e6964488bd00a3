import type { Execution } from './aliyun/cloudflow.ts';

/** An execution's input as its starter gave it ({} when unreadable). */
export function inputOf(e: Execution): Record<string, unknown> {
  try {
    const input = JSON.parse(e.Input ?? '{}') as unknown;
    return input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
