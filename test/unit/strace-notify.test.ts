// strace formatting of the inotify and splice families. Every expected line was printed by
// strace for the same arguments (fixtures/src/inotify.c and splice.c run natively).
import { strict as assert } from 'node:assert';
import { EFAULT, EINVAL, ERR, FakeMemory, line } from './strace-memory.js';

const EEXIST = ERR(17);

/** A loff_t in guest memory. */
function loff(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, value, true);
  return out;
}

describe('strace formatting', function () {
  describe('inotify', function () {
    it('init flags, watch masks with flag bits and unknown bits', function () {
      const m = new FakeMemory().string(0x1000n, 's4').string(0x2000n, 's4/plain');
      assert.equal(line('inotify_init', [], 6n), 'inotify_init()                          = 6');
      assert.equal(line('inotify_init1', [0x80800n], 5n), 'inotify_init1(IN_NONBLOCK|IN_CLOEXEC)   = 5');
      assert.equal(line('inotify_init1', [1n], EINVAL), 'inotify_init1(0x1 /* IN_??? */)         = -1 EINVAL (Invalid argument)');
      assert.equal(line('inotify_add_watch', [5n, 0x1000n, 0x1000n], EINVAL, m), 'inotify_add_watch(5, "s4", 0x1000 /* IN_??? */) = -1 EINVAL (Invalid argument)');
      assert.equal(line('inotify_add_watch', [5n, 0x1000n, 0x10000100n], EEXIST, m), 'inotify_add_watch(5, "s4", IN_CREATE|IN_MASK_CREATE) = -1 EEXIST (File exists)');
      assert.equal(
        line('inotify_add_watch', [5n, 0x1000n, 0x30000002n], EINVAL, m),
        'inotify_add_watch(5, "s4", IN_MODIFY|IN_MASK_CREATE|IN_MASK_ADD) = -1 EINVAL (Invalid argument)',
      );
      assert.equal(line('inotify_add_watch', [5n, 0x2000n, 0x80000000n], 2n, m), 'inotify_add_watch(5, "s4/plain", IN_ONESHOT) = 2');
      assert.equal(line('inotify_rm_watch', [5n, BigInt.asUintN(64, -1n)], EINVAL), 'inotify_rm_watch(5, -1)                 = -1 EINVAL (Invalid argument)');
    });
  });

  describe('splice, tee, vmsplice, readahead', function () {
    it('offsets as they were on entry, flags', function () {
      // The call rewrote the offset (4 -> 9); strace shows what it read.
      const m = new FakeMemory().map(0x1000n, loff(9n)).atEntry(0x1000n, loff(4n)).map(0x2000n, loff(13n)).atEntry(0x2000n, loff(10n));
      assert.equal(line('splice', [7n, 0x1000n, 4n, 0n, 5n, 5n], 5n, m), 'splice(7, [4], 4, NULL, 5, SPLICE_F_MOVE|SPLICE_F_MORE) = 5');
      assert.equal(line('splice', [3n, 0n, 8n, 0x2000n, 100n, 0n], 3n, m), 'splice(3, NULL, 8, [10], 100, 0)        = 3');
      assert.equal(line('tee', [4n, 7n, 4n, 0n], 4n), 'tee(4, 7, 4, 0)                         = 4');
      assert.equal(line('tee', [4n, 7n, 10n, 0x10n], EINVAL), 'tee(4, 7, 10, 0x10 /* SPLICE_F_??? */)  = -1 EINVAL (Invalid argument)');
      assert.equal(line('vmsplice', [5n, 8n, 2n, 0n], EFAULT), 'vmsplice(5, 0x8, 2, 0)                  = -1 EFAULT (Bad address)');
      assert.equal(line('readahead', [3n, 0n, 4096n], 0n), 'readahead(3, 0, 4096)                   = 0');
    });
  });
});
