// The socket families the kernel offers, by AF_* number.
import { AF_NETLINK, AF_UNIX } from './constants.js';
import type { Network } from './network.js';
import { NetlinkFamily } from './netlink/family.js';
import { UnixFamily } from './unix/family.js';

export function registerFamilies(net: Network): void {
  net.families.set(AF_UNIX, new UnixFamily());
  net.families.set(AF_NETLINK, new NetlinkFamily(net.mode));
}
