// The port ids of NETLINK_ROUTE sockets bound in this kernel's network namespace
// (netlink_insert, netlink_autobind): unique, the first autobound socket of a process gets its
// tgid, and a collision moves to a random negative id below -4096, then downwards.
import { Errno } from '../../errno.js';
import type { RandomSource } from '../../clock.js';

const S32_MIN = -(2 ** 31);
const ROVER_START = -4096;

export class NetlinkPorts {
  private readonly bound = new Set<number>();

  constructor(private readonly random: RandomSource) {}

  /** bind(2) with a port id: 0 or -EADDRINUSE. */
  insert(portId: number): number {
    if (this.bound.has(portId)) return -Errno.EADDRINUSE;
    this.bound.add(portId);
    return 0;
  }

  /** A free port id, taken: the caller's tgid when free. */
  autobind(tgid: number): number {
    let portId = tgid;
    let rover = ROVER_START;
    while (this.bound.has(portId)) {
      if (rover === ROVER_START) {
        const span = ROVER_START - S32_MIN;
        const b = this.random.bytes(4);
        const r = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
        rover = S32_MIN + (r % span);
      } else if (rover >= ROVER_START) {
        rover = ROVER_START - 1;
      }
      portId = rover--;
    }
    this.bound.add(portId);
    return portId;
  }

  remove(portId: number): void {
    this.bound.delete(portId);
  }
}
