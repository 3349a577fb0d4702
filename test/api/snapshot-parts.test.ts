// Snapshots keep the sharing of a process's parts: a parent and a child made with
// clone(CLONE_FS | CLONE_FILES) still share their fs context (cwd, umask) and fd table after
// a restore, so the child's chdir, umask and open are seen by the parent as in the first run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Emulator } from '../../emu/index.js';
import { assertSnapshotReplays, guestBuiltForSuite } from './guest.js';

describe('snapshots of shared process parts', function () {
  this.timeout(30000);
  const guest = guestBuiltForSuite('shared_parts', [], (dir) => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'file'), 'in sub');
  });

  it('a CLONE_FS | CLONE_FILES child and its parent share cwd, umask and fds after a restore', () => {
    const emu = Emulator.load({ program: guest.program, argv: ['shared_parts', guest.dir] });
    try {
      assertSnapshotReplays(emu, 'cwd sub umask 077 fd 3 reads in sub\n');
    } finally {
      emu.close();
    }
  });
});
