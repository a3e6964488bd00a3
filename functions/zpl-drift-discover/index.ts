import { countingLogger, driftDiscover } from '../../shared/drift/handlers.ts';
import { parseEvent, type FcContext } from '../../shared/fc-context.ts';
import { functionConfig } from '../../shared/function-config.ts';
import { depsFromEnvironment, stepLogger } from '../../shared/steps/runtime.ts';

/** The drift flow's plan: the managed links of each region and account, cut into pages. */
export const handler = async (event: Buffer, context: FcContext) => {
  const { input, execution } = parseEvent(event) as { input: unknown; execution: string };
  const { log, calls } = countingLogger(stepLogger('Discover', context));
  return driftDiscover(
    input,
    {
      home: { region: context.region, account: context.accountId },
      // Each region's own clients (endpoints, Zilliz's control plane), whatever region the function runs in; another account's as its role.
      deps: (region, role) => depsFromEnvironment({ ...context, region }, log, process.env, undefined, role && { ...role, execution }),
      // The steps' own allowlist check, in the module a cross-account run loads (shared/steps/run-as.ts).
      admit: async (roles) => {
        if (roles.length === 0) return;
        const { refuseUnlisted } = await import('../../shared/steps/run-as.ts');
        for (const role of roles) refuseUnlisted(functionConfig().assumeRoles, role.arn);
      },
    },
    calls,
  );
};
