import { AliyunTransport, type AliyunTransportOptions } from '../aliyun/rpc.ts';
import type { AccessKey, CredentialProvider } from './provider.ts';

/**
 * Where role sessions are asked for: STS of `region` (sts.<region>.aliyuncs.com) unless `endpoint`
 * points elsewhere (ZPL_STS_ENDPOINT, else ZPL_ALIBABA_ENDPOINT: credentials-nodejs hard-codes
 * https and sts.aliyuncs.com or sts.<ALIBABA_CLOUD_STS_REGION>, so zpl asks STS itself, through
 * its own transport, and nothing dials a host the configuration did not name).
 */
export interface StsLocation {
  region: string;
  endpoint?: string;
  /** The clock sessions expire on, the transport's retry policy and logger (a step's own). */
  transport?: Pick<AliyunTransportOptions, 'clock' | 'timeoutClock' | 'log' | 'retry' | 'retryBudget'>;
}

/** A transport to STS; `credentials` undefined: only unsigned actions (AssumeRoleWithOIDC) may be called. */
export const stsTransport = (credentials: AccessKey | CredentialProvider | undefined, where: StsLocation): AliyunTransport =>
  new AliyunTransport({
    ...where.transport,
    ...(credentials ? { credentials } : {}),
    ...(where.endpoint ? { endpoints: { Sts: where.endpoint } } : {}),
  });
