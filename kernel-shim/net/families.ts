// The socket families the kernel offers, by AF_* number.
import { AF_INET, AF_INET6, AF_NETLINK, AF_UNIX } from './constants.js';
import { registerInet } from './inet/family.js';
import type { Network } from './network.js';
import { NetlinkFamily } from './netlink/family.js';
import { UnixFamily } from './unix/family.js';

export function registerFamilies(net: Network): void {
  net.families.set(AF_UNIX, new UnixFamily());
  registerInet(net, [AF_INET, AF_INET6]);
  net.families.set(AF_NETLINK, new NetlinkFamily(net.mode));
}
