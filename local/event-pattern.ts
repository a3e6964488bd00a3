/**
 * EventBridge event patterns, the part zpl uses: each top-level key names an event attribute and
 * lists the values that match it — literal strings ("stringEqual") or `{"prefix": "…"}` /
 * `{"suffix": "…"}` ("stringExpression"); every key must match (EventBridge docs, 事件模式 /
 * event patterns, https://help.aliyun.com/zh/eventbridge/user-guide/event-patterns; CreateRule's
 * `FilterPattern` description in the eventbridge 2020-04-01 metadata names both modes).
 * A form not modelled here matches nothing, so a rule the emulator does not understand never
 * delivers by accident.
 */
export function matchesPattern(pattern: string, event: Record<string, unknown>): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(pattern);
  } catch {
    return false;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
  return Object.entries(parsed as Record<string, unknown>).every(([key, wanted]) => {
    if (!Array.isArray(wanted)) return false;
    const value = event[key];
    if (typeof value !== 'string') return false;
    return wanted.some((w) => {
      if (typeof w === 'string') return w === value;
      if (w && typeof w === 'object') {
        const o = w as { prefix?: unknown; suffix?: unknown };
        if (typeof o.prefix === 'string') return value.startsWith(o.prefix);
        if (typeof o.suffix === 'string') return value.endsWith(o.suffix);
      }
      return false;
    });
  });
}
