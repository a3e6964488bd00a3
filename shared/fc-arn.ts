/** FC 3.0 function ARN (no service, no qualifier): acs:fc:<region>:<account>:functions/<name>. */
export const fc3FunctionArn = (region: string, accountId: string, name: string) => `acs:fc:${region}:${accountId}:functions/${name}`;
