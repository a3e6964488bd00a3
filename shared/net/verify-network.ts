import type { FunctionConfig } from '../function-config.ts';
import { mappedNetwork } from './address-map.ts';
import { vpcNetwork, type Network } from './network.ts';

/**
 * The network the verify function looks through: the VPC it runs in (the cloud), or the local
 * stack's address map (`ZPL_ADDRESS_MAP`), which maps the emulated private addresses to loopback.
 */
export const verifyNetwork = (config: FunctionConfig): Network =>
  config.addressMap ? mappedNetwork(config.addressMap) : vpcNetwork(config.verifyVpcId);
