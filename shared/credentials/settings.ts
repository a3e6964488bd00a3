import { homedir } from 'node:os';
import { ECS_METADATA_ENDPOINT } from './ecs-metadata.ts';
import type { StsLocation } from './sts-client.ts';

/**
 * What the default chain reads from the environment: the variables credentials-nodejs documents
 * (ALIBABA_CLOUD_*; src/providers/*.ts at f61774c7) and zpl's endpoint overrides, which the
 * library lacks: ZPL_STS_ENDPOINT (else ZPL_ALIBABA_ENDPOINT, the one base URL for every product)
 * for AssumeRole / AssumeRoleWithOIDC, ZPL_ECS_METADATA_ENDPOINT for the instance metadata service.
 */
export interface ChainSettings {
  env: NodeJS.ProcessEnv;
  /** The region whose STS answers unless ALIBABA_CLOUD_STS_REGION or a profile's `sts_region` says otherwise. */
  region: string;
  /** `--profile`: that profile of ~/.aliyun/config.json and nothing else. */
  profile?: string;
  home: string;
  transport?: StsLocation['transport'];
}

export const chainSettings = (o: {
  region: string;
  profile?: string;
  env?: NodeJS.ProcessEnv;
  /** The user's home (~/.aliyun, ~/.alibabacloud); default the process's. */
  home?: string;
  transport?: StsLocation['transport'];
}): ChainSettings => ({
  env: o.env ?? process.env,
  region: o.region,
  profile: o.profile,
  home: o.home ?? homedir(),
  transport: o.transport,
});

const read = (env: NodeJS.ProcessEnv, name: string) => env[name] || undefined;
const isTrue = (env: NodeJS.ProcessEnv, name: string) => (env[name] ?? '').toLowerCase() === 'true';

/** STS for a role session: zpl's override, else the profile's `sts_endpoint` host, else sts.<region>. */
export function stsLocation(s: ChainSettings, profile: { stsRegion?: string; stsEndpoint?: string } = {}): StsLocation {
  const override = read(s.env, 'ZPL_STS_ENDPOINT') ?? read(s.env, 'ZPL_ALIBABA_ENDPOINT');
  const endpoint = override ?? (profile.stsEndpoint ? `https://${profile.stsEndpoint.replace(/^https?:\/\//, '')}` : undefined);
  return { region: profile.stsRegion || read(s.env, 'ALIBABA_CLOUD_STS_REGION') || s.region, endpoint, transport: s.transport };
}

export const metadataEndpoint = (s: ChainSettings) => read(s.env, 'ZPL_ECS_METADATA_ENDPOINT') ?? ECS_METADATA_ENDPOINT;

/**
 * Whether the chain asks the instance metadata service at all. The library always does (its host
 * is fixed); zpl only when told it runs on ECS — a role name in ALIBABA_CLOUD_ECS_METADATA, or an
 * endpoint in ZPL_ECS_METADATA_ENDPOINT — so a laptop without keys never sends a packet to
 * 100.100.100.200. ALIBABA_CLOUD_ECS_METADATA_DISABLED=true turns it off, as in the library.
 */
export const metadataWanted = (s: ChainSettings) =>
  !isTrue(s.env, 'ALIBABA_CLOUD_ECS_METADATA_DISABLED') &&
  (read(s.env, 'ALIBABA_CLOUD_ECS_METADATA') !== undefined || read(s.env, 'ZPL_ECS_METADATA_ENDPOINT') !== undefined);

export const imdsV1Disabled = (s: ChainSettings) => isTrue(s.env, 'ALIBABA_CLOUD_IMDSV1_DISABLED');

/** The session name a role session gets when none is configured (the library: `credentials-nodejs-<ms>`). */
export const defaultSessionName = (s: ChainSettings) => read(s.env, 'ALIBABA_CLOUD_ROLE_SESSION_NAME') ?? `zpl-${Date.now()}`;

export { isTrue, read };
