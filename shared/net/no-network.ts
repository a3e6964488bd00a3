import type { Network } from './network.ts';

const none = () => Promise.reject(new Error('this step was given no network'));

/**
 * The network of a step that does not look at one: every step but Verify, which is handed its own
 * (shared/net/verify-network.ts), so no other bundle carries the resolver and socket code.
 */
export const noNetwork: Network = {
  cannotSee: () => 'this step was given no network to look from',
  resolve: none,
  connect: none,
};
