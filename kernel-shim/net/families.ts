// The socket families the kernel offers, by AF_* number.
import type { Network } from './network.js';

export function registerFamilies(_net: Network): void {}
