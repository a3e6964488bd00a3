import { SecurityGroupApi } from './ecs.ts';
import { PrivateLinkApi } from './privatelink.ts';
import { PrivateZoneApi } from './pvtz.ts';
import { RamApi } from './ram.ts';
import { AliyunTransport, type AliyunTransportOptions } from './rpc.ts';
import { StsApi } from './sts.ts';
import { VpcApi } from './vpc.ts';

export interface AliyunApis {
  transport: AliyunTransport;
  privateLink: PrivateLinkApi;
  privateZone: PrivateZoneApi;
  securityGroups: SecurityGroupApi;
  vpc: VpcApi;
  sts: StsApi;
  ram: RamApi;
}

/** Every Alibaba API the product uses, for one region, over one transport. */
export function aliyunApis(region: string, opts: AliyunTransportOptions | AliyunTransport = {}): AliyunApis {
  const transport = opts instanceof AliyunTransport ? opts : new AliyunTransport(opts);
  return {
    transport,
    privateLink: new PrivateLinkApi(transport, region),
    privateZone: new PrivateZoneApi(transport, region),
    securityGroups: new SecurityGroupApi(transport, region),
    vpc: new VpcApi(transport, region),
    sts: new StsApi(transport, region),
    ram: new RamApi(transport, region),
  };
}
