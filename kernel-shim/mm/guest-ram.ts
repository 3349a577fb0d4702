// How much guest RAM to reserve. Asked for (--memory), exactly that or nothing; otherwise the
// host's MemTotal, as a container would see it, or, where the host will not reserve that
// much address space (ulimit -v, vm.overcommit_memory=2), half as much, and so on.
import { totalmem } from 'node:os';
import { GuestRamUnavailable, PhysicalMemory } from '../../host/physmem.js';
import { PAGE_SIZE } from './constants.js';
import { MAX_GUEST_RAM } from './frames.js';

/** Below this, a host-sized default gives up and says why. */
const SMALLEST_DEFAULT = 64 * 2 ** 20;

export function reserveGuestRam(requested: number | undefined): PhysicalMemory {
  if (requested !== undefined) return new PhysicalMemory(requested);
  let size = Math.min(MAX_GUEST_RAM, Math.floor(totalmem() / PAGE_SIZE) * PAGE_SIZE);
  for (;;) {
    try {
      return new PhysicalMemory(size);
    } catch (e) {
      if (!(e instanceof GuestRamUnavailable) || size <= SMALLEST_DEFAULT) throw e;
      size = Math.floor(size / 2 / PAGE_SIZE) * PAGE_SIZE;
    }
  }
}
