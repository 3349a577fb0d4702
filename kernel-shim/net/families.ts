// The socket families the kernel offers, by AF_* number.
import { AF_NETLINK } from './constants.js';
import type { Network } from './network.js';
import { NetlinkFamily } from './netlink/family.js';

export function registerFamilies(net: Network): void {
  net.families.set(AF_NETLINK, new NetlinkFamily(net.mode));
}
