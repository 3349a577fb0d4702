// memfd files in guest frames, and host files whose pages are mapped (the page cache).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { O_RDWR, SEEK_CUR, S_IFREG } from '../../kernel-shim/fs/constants.js';
import { MemFile } from '../../kernel-shim/fs/memfd.js';
import { FrameAllocator } from '../../kernel-shim/mm/frames.js';
import { PhysicalMemory } from '../../host/physmem.js';
import { devMajor, devMinor } from '../../kernel-shim/abi/statx.js';
import { Vfs } from '../../kernel-shim/fs/vfs.js';
import { ok, enc, dec, eachTestInFsWorld } from './fs-world.js';

describe('fs', () => {
  let vfs: Vfs;
  const { host } = eachTestInFsWorld((w) => ({ vfs } = w));

  describe('memfd and the page cache', () => {
    const frames = new FrameAllocator(new PhysicalMemory(8 << 20));
    const owner = { uid: 1, gid: 2, now: () => 7n };

    it('keeps a memfd in guest frames: sizes, holes, offsets and truncation', () => {
      const m = new MemFile(frames, 'jit', O_RDWR, owner, 1000n);
      assert.equal(m.path, '/memfd:jit (deleted)');
      assert.equal(m.truncate(10000n), 0);
      assert.equal(m.pwrite(enc('code'), 5000n), 4);
      const buf = new Uint8Array(8);
      assert.equal(m.pread(buf, 4998n), 8);
      assert.deepEqual([...buf], [0, 0, 99, 111, 100, 101, 0, 0]);
      assert.equal(m.write(enc('ab')), 2);
      assert.equal(m.seek(0n, SEEK_CUR), 2n);
      assert.equal(m.pread(buf, 9998n), 2, 'reads stop at the size');
      assert.equal(m.truncate(5002n), 0);
      assert.equal(m.truncate(6000n), 0);
      assert.equal(m.pread(buf, 5000n), 8);
      assert.equal(dec(buf.subarray(0, 4)), 'co\0\0', 'the truncated tail reads back as zeros');
      const st = m.stat();
      assert.equal(st.mode, S_IFREG | 0o777);
      assert.equal(st.size, 6000n);
      assert.equal(m.object.frameAt(1), m.object.frameAt(1), 'one frame per page, shared by mappings');
      m.release();
    });

    it('lets reads of a host file see mapped pages, and writes reach them', () => {
      const f = ok(vfs.open('/etc/passwd', O_RDWR, 0, '/'));
      const st = ok(f.stat());
      const object = vfs.pageCache.objectFor(frames, { hostFd: f.hostFd!, path: '/etc/passwd', devMajor: devMajor(st.dev), devMinor: devMinor(st.dev), ino: st.ino });
      object.users++;
      const page = frames.memory.bytesAt(object.frameAt(0) * 4096, 4096);
      page[0] = 'R'.charCodeAt(0);
      const buf = new Uint8Array(4);
      assert.equal(f.pread(buf, 0n), 4);
      assert.equal(dec(buf), 'Root', 'a store through the mapping');
      assert.equal(f.pwrite(enc('XY'), 1n), 2);
      assert.equal(dec(page.subarray(0, 4)), 'RXYt', 'the mapping sees write()');
      object.release();
      assert.equal(fs.readFileSync(host('etc/passwd'), 'utf8').slice(0, 4), 'RXYt', 'written back when unmapped');
      f.release();
    });
  });
});
