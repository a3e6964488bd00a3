/**
 * Flows in `flows/` name functions by ARN with `${region}` and `${accountId}` placeholders (and
 * the event bus as `${eventBus}`),
 * because CloudFlow takes the definition as it is (the Serverless Devs flow component does no
 * substitution, cloud-facts §5). Rendering fills them in; anything else left is an error.
 */
export interface RenderVars {
  region: string;
  accountId: string;
  /** The EventBridge bus the flows announce outcomes on (default `zilliz-privatelink`). */
  eventBus?: string;
}

export const DEFAULT_EVENT_BUS = 'zilliz-privatelink';

export function renderFlow(text: string, vars: RenderVars): string {
  const values: Record<string, string> = { region: vars.region, accountId: vars.accountId, eventBus: vars.eventBus ?? DEFAULT_EVENT_BUS };
  const unknown = new Set<string>();
  const out = text.replace(/\$\{([A-Za-z]+)\}/g, (whole, name: string) => {
    if (Object.hasOwn(values, name)) return values[name]!;
    unknown.add(whole);
    return whole;
  });
  if (unknown.size > 0)
    throw new Error(
      `unknown placeholder${unknown.size > 1 ? 's' : ''} ${[...unknown].join(', ')} (only \${region}, \${accountId} and \${eventBus} are filled in)`,
    );
  if (!/^[a-z]+-[a-z0-9-]+$/.test(vars.region)) throw new Error(`region ${vars.region} is not a region ID`);
  if (!/^[A-Za-z0-9_-]{1,127}$/.test(values.eventBus!)) throw new Error(`event bus ${values.eventBus} is not an EventBridge bus name`);
  if (!/^\d{16}$/.test(vars.accountId)) throw new Error(`account ID ${vars.accountId} is not a 16-digit Alibaba Cloud account ID`);
  return out;
}
