import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AliyunError } from '../shared/aliyun/errors.ts';
import { AliyunTransport, type AccessKey } from '../shared/aliyun/rpc.ts';
import { CloudFlowApi } from '../shared/aliyun/cloudflow.ts';
import { systemClock } from '../shared/clock.ts';
import { deployFlows } from '../shared/flows.ts';
import { functionConfig } from '../shared/function-config.ts';
import { systemNetwork } from '../shared/net/network.ts';
import { mappedNetwork } from '../shared/net/address-map.ts';
import { stepDeps } from '../shared/steps/runtime.ts';
import type { StepDeps } from '../shared/steps/types.ts';
import { startLocalEngine } from '../local/engine/index.ts';
import { describeClock, readStackFile, stackFilePath, type StackFile } from '../local/stack.ts';
import { existsSync } from 'node:fs';

/**
 * Where an execution runs:
 * - `stack`: the local stack started by `zpl up` (emulated clouds, local engine);
 * - `local`: a local engine in this process against the real clouds (credentials from the environment);
 * - `cloudflow`: a flow deployed with `s deploy` in CloudFlow (credentials from the environment).
 */
export type TargetKind = 'stack' | 'local' | 'cloudflow';

export interface Target {
  kind: TargetKind;
  description: string;
  /** The region the target's flows run in (the stack's, or the one asked for). */
  region: string;
  flows: CloudFlowApi;
  /** Clients for reads (`zpl plan`, `zpl list`), as the steps would build them, for a region (default the target's). */
  deps(region?: string): StepDeps;
  /** Seconds between progress polls. */
  pollMs: number;
  close(): Promise<void>;
}

function envCredentials(): AccessKey {
  const accessKeyId = process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret)
    throw new Error(
      'set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS) to use the real clouds',
    );
  return { accessKeyId, accessKeySecret, securityToken: process.env.ALIBABA_CLOUD_SECURITY_TOKEN };
}

/**
 * The real-cloud clients, with the endpoint overrides the functions honour (ZPL_ALIBABA_ENDPOINT,
 * ZPL_ZILLIZ_URL; shared/function-config.ts), so `--target local` and `cloudflow` reach what
 * the environment names — a private endpoint, a proxy, or an emulator — like the steps do.
 */
function cloudDeps(region: string, credentials: AccessKey): StepDeps {
  const config = functionConfig();
  // The shell's key: the CLI reads no KMS secret (shared/secrets.ts is the functions').
  const zillizApiKey = process.env.ZILLIZ_API_KEY || undefined;
  if (!zillizApiKey) throw new Error('set ZILLIZ_API_KEY (a Zilliz Cloud API key with access to the project) to use the real clouds');
  return stepDeps({
    region,
    credentials,
    alibabaEndpoint: config.alibabaEndpoint,
    zillizApiKey,
    zillizUrl: config.zillizUrl,
    // Verify from this machine: in no VPC it vouches for, so it reports "not verified" (network.ts).
    network: systemNetwork,
  });
}

/** Clients for reads against the real clouds with the shell's credentials (`zpl doctor --target aliyun`). */
export const cloudReadDeps = (region: string): StepDeps => cloudDeps(region, envCredentials());

export function stackTarget(file: StackFile): Target {
  const credentials = { accessKeyId: file.accessKeyId, accessKeySecret: file.accessKeySecret };
  return {
    kind: 'stack',
    description: `the local stack (engine ${file.fnfUrl}, ${describeClock(file.clock)})`,
    region: file.region,
    flows: new CloudFlowApi(new AliyunTransport({ endpoint: file.fnfUrl, credentials }), file.region),
    // The emulators serve every region; the engine runs in the stack's.
    deps: (region = file.region) =>
      stepDeps({
        region,
        credentials,
        alibabaEndpoint: file.alibabaUrl,
        zillizApiKey: file.zillizApiKey,
        zillizUrl: file.zillizUrl,
        network: mappedNetwork(file.addressMap),
      }),
    pollMs: 200,
    close: async () => undefined,
  };
}

/** The region a real-cloud target works in when the command names none: ZPL_REGION, else cn-hangzhou. */
export const defaultRegion = () => process.env.ZPL_REGION || 'cn-hangzhou';

/** A refused connection to a stack whose process lives (still starting, or its servers closed): say so, and how to start one. */
export function stackUnreachable(e: unknown, stateDir: string): unknown {
  const refused = e instanceof AliyunError && e.code === 'NetworkError' && /ECONNREFUSED/.test(e.message);
  if (!refused) return e;
  return new Error(
    `the local stack on ${stateDir} is not answering (${e.message} from ${e.product} ${e.action}): it is not running; start it with \`zpl up --state-dir ${stateDir}\``,
  );
}

/**
 * @param where the region (and account, to render ARNs) the command works in, and where the
 *   region came from (`the spec`, `--region`), to say which asks for a region the stack lacks;
 *   without a region, the stack's own, or defaultRegion() for the real clouds (fleet commands:
 *   list, executions, drift)
 * @param deploy render and deploy the flows first (apply); reads (plan, status) leave them alone
 */
export async function openTarget(
  kind: string,
  where: { region?: string; accountId?: string; regionFrom?: string },
  stateDir: string,
  deploy = false,
): Promise<Target> {
  const spec = { ...where, region: where.region ?? defaultRegion() };
  const chosen = kind === 'auto' ? (existsSync(stackFilePath(stateDir)) ? 'stack' : undefined) : kind;
  if (!chosen)
    throw new Error(
      `no local stack is running (${stackFilePath(stateDir)} is missing): start one with \`zpl up\`, or pick --target local|cloudflow to use the real clouds`,
    );
  if (chosen === 'stack') {
    const file = readStackFile(stateDir);
    if (where.region && where.region !== file.region)
      throw new Error(
        `the local stack emulates ${file.region} only; ${spec.regionFrom ?? 'the spec'} asks for ${spec.region} (use --target local or cloudflow for another region)`,
      );
    const target = stackTarget(file);
    if (deploy)
      await deployFlows(target.flows, { region: file.region, accountId: file.accountId }).catch((e: unknown) => {
        throw stackUnreachable(e, stateDir);
      });
    return target;
  }
  if (chosen === 'cloudflow') {
    const credentials = envCredentials();
    // ZPL_FNF_ENDPOINT, as the API and event functions read it: another CloudFlow endpoint (or the local engine).
    const flows = new CloudFlowApi(new AliyunTransport({ credentials, endpoint: functionConfig().fnfEndpoint }), spec.region);
    return {
      kind: 'cloudflow',
      description: `CloudFlow in ${spec.region}`,
      region: spec.region,
      flows,
      deps: (region = spec.region) => cloudDeps(region, credentials),
      pollMs: 3000,
      close: async () => undefined,
    };
  }
  if (chosen === 'local') {
    const credentials = envCredentials();
    // An ephemeral key pair guards this process's own engine API.
    const key = { accessKeyId: `LTAIlocal${randomBytes(6).toString('hex')}`, accessKeySecret: randomBytes(24).toString('hex') };
    const engine = await startLocalEngine({
      clock: systemClock,
      stateDir: join(stateDir, 'engine-local'),
      region: spec.region,
      accountId: spec.accountId ?? '',
      credentials,
      keys: new Map([[key.accessKeyId, key.accessKeySecret]]),
      // Only a run that deploys (apply) knows the account to resume executions under.
      resume: deploy,
    });
    const flows = new CloudFlowApi(new AliyunTransport({ endpoint: engine.url, credentials: key }), spec.region);
    if (deploy) {
      if (!spec.accountId) throw new Error('the account ID is needed to render the flows');
      await deployFlows(flows, { region: spec.region, accountId: spec.accountId });
    }
    return {
      kind: 'local',
      description: `a local engine against the real clouds (${spec.region})`,
      region: spec.region,
      flows,
      deps: (region = spec.region) => cloudDeps(region, credentials),
      pollMs: 1000,
      close: () => engine.close(),
    };
  }
  throw new Error(`unknown target ${kind}: use auto, stack, local or cloudflow`);
}
