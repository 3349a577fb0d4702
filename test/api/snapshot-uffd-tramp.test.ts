// A snapshot taken while a userfaultfd has a pending fault (a thread parked on a tracked
// page, its message not yet read) and a trampfd v1 trampoline is mapped: restored, the
// guest finishes with the same output as the first run, as often as it is restored.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Emulator } from '../../emu/index.js';
import { assertSnapshotReplays, guestBuiltForSuite, root } from './guest.js';

const includes = ['-I', join(root, 'fixtures', 'src'), '-I', join(root, 'fixtures', 'include')];

describe('snapshots of userfaultfd and trampfd state', function () {
  this.timeout(30000);
  const guest = guestBuiltForSuite('uffd_tramp', ['-pthread', ...includes]);

  it('restores a pending userfaultfd fault and a mapped trampfd v1 trampoline', () => {
    const emu = Emulator.load({ program: guest.program });
    try {
      const expected = "fault at offset 0\ntrampoline's rdi 4\nworker read 42, trampoline returned 502\n";
      // At the checkpoint the worker is parked on its fault.
      assertSnapshotReplays(emu, expected, () => assert.equal(emu.threads().length, 2));
    } finally {
      emu.close();
    }
  });
});
