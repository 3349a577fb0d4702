// The socket families the kernel offers, by AF_* number.
import { AF_UNIX } from './constants.js';
import type { Network } from './network.js';
import { UnixFamily } from './unix/family.js';

export function registerFamilies(net: Network): void {
  net.families.set(AF_UNIX, new UnixFamily());
}
