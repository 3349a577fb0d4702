// execve past argument decoding: load the program (kernel-shim/exec.ts through the
// executable cache), and at the point of no return kill the other threads and install the
// new image. The first process of a Machine is loaded the same way.
import { type ExecResult, exec } from './exec.js';
import { openExecutable } from './executable.js';
import type { Kernel } from './kernel.js';
import type { BaseDir } from './fs/dirref.js';
import { replaceImage } from './lifecycle.js';
import type { Task } from './task.js';
import type { Vfs } from './fs/vfs.js';
import { LoadError } from '../loader/index.js';

export interface ImageRequest {
  /** The namespace the path is looked up in, from the process's root (default: the whole root). */
  vfs?: Vfs;
  path: string;
  /** Where a relative path (and the interpreter's) starts: a held directory, or a guest path. */
  cwd: BaseDir;
  argv: Uint8Array[];
  envp: Uint8Array[];
  uid: number;
  gid: number;
}

/** Loads a program for a process of `k`; throws LoadError (its errno, a one-line message). */
export function loadImage(k: Kernel, req: ImageRequest): ExecResult {
  return exec((p) => openExecutable(k, req.vfs ?? k.vfs, p, req.cwd), k.frames, k.stats.mm, k.random, {
    path: req.path, argv: req.argv, envp: req.envp, uid: req.uid, gid: req.gid, deterministic: k.options.deterministic,
    mmapMinAddr: k.mmapMinAddrFor(req.uid),
  });
}

/** execve(2) for `t`: -errno with nothing changed, or null once the new image is in place (registers set). */
export function execve(k: Kernel, t: Task, path: string, cwd: BaseDir, argv: Uint8Array[], envp: Uint8Array[]): number | null {
  const proc = t.process;
  let result;
  try {
    result = loadImage(k, { vfs: proc.vfs, path, cwd, argv, envp, uid: proc.uid, gid: proc.gid });
  } catch (e) {
    if (e instanceof LoadError) return -e.errno;
    throw e;
  }
  // Past the point of no return: other threads die, the caller becomes the only task.
  for (const other of proc.liveTasks) if (other !== t) k.retire(other);
  replaceImage(proc, result);
  return null;
}

/**
 * execve with argv and envp read by `readArgs`. Linux opens the program before it copies
 * the strings, so a missing or unexecutable program is the error even when the arrays are
 * bad; the program is opened here only on that error path (the open is cached anyway).
 */
export function execveReading(
  k: Kernel, t: Task, path: string, cwd: BaseDir, readArgs: () => { argv: Uint8Array[]; envp: Uint8Array[] } | number,
): number | null {
  const args = readArgs();
  if (typeof args === 'number') {
    const program = openExecutable(k, t.process.vfs, path, cwd);
    return typeof program === 'number' ? program : args;
  }
  return execve(k, t, path, cwd, args.argv, args.envp);
}
