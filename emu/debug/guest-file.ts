// Reads a whole file as the debugged process sees it (its mount view and cwd): gdb's
// vFile:open (host-io.ts) comes here for the executable, its libraries and /proc files.
import type { Kernel } from '../../kernel-shim/kernel.js';
import type { Process } from '../../kernel-shim/process.js';

export function readGuestFile(k: Kernel, proc: Process, path: string): Uint8Array | null {
  // The VFS resolves paths in the current task's view: borrow one of the process's tasks.
  const saved = k.current;
  if (!proc.exited) k.current = proc.liveTasks[0] ?? saved;
  try {
    const file = proc.vfs.open(path, 0, 0, proc.fs.cwd);
    if (typeof file === 'number') return null;
    try {
      const parts: Buffer[] = [];
      let pos = 0n;
      for (;;) {
        const buf = Buffer.alloc(65536);
        const n = file.pread(buf, pos);
        if (n < 0) {
          if (pos === 0n && parts.length === 0) {
            // Not seekable (procfs may be): read sequentially.
            const m = file.read(buf);
            if (m < 0) return null;
            if (m === 0) break;
            parts.push(buf.subarray(0, m));
            for (;;) {
              const more = Buffer.alloc(65536);
              const r = file.read(more);
              if (r <= 0) break;
              parts.push(more.subarray(0, r));
            }
            break;
          }
          return null;
        }
        if (n === 0) break;
        parts.push(buf.subarray(0, n));
        pos += BigInt(n);
      }
      return Buffer.concat(parts);
    } finally {
      file.release();
    }
  } finally {
    k.current = saved;
  }
}
