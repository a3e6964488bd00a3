import type { AliyunTransport } from './rpc.ts';
import { STS } from './catalog/sts.ts';

/** STS 2015-04-01: who the credentials in use are. */
export class StsApi {
  constructor(
    private readonly rpc: AliyunTransport,
    private readonly region: string,
  ) {
    rpc.use('Sts', STS);
  }

  /** The account, identity type and ARN of the caller (any identity may ask; no parameters). */
  callerIdentity() {
    return this.rpc.call('Sts', 'GetCallerIdentity', this.region, {});
  }
}
