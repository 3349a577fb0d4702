// The parts of a process that clone can share with another process (memory, fd table, fs
// context, signal handlers): who else holds one, and what exit and exec do to them. A part
// goes when the last live process holding it lets go, as Linux's reference counts have it.
import { TASK_SIZE } from './mm/constants.js';
import { munmap } from './mm/mapping.js';
import type { Process } from './process.js';

/** Whether a live process other than `proc` holds `part` of its own. */
export function heldElsewhere<T>(proc: Process, part: T, of: (p: Process) => T): boolean {
  for (const p of proc.kernel.processes.values()) if (p !== proc && !p.exited && of(p) === part) return true;
  return false;
}

/** exit: the process lets go of its parts; memory, files and the held cwd nobody else has go. */
export function releaseParts(proc: Process): void {
  if (!heldElsewhere(proc, proc.mm, (p) => p.mm)) {
    proc.kernel.aio.release(proc.mm);
    munmap(proc.mm, 0, TASK_SIZE);
  }
  if (!heldElsewhere(proc, proc.fds, (p) => p.fds)) proc.fds.closeAll();
  if (!heldElsewhere(proc, proc.fs, (p) => p.fs)) proc.fs.drop();
}

/**
 * execve (Linux's unshare_files and de_thread): an fd table or handler table shared with
 * another process becomes this process's own copy, so close-on-exec and the reset of caught
 * signals do not reach the other one. Then both happen.
 */
export function unshareForExec(proc: Process): void {
  if (heldElsewhere(proc, proc.fds, (p) => p.fds)) proc.fds = proc.fds.clone();
  if (heldElsewhere(proc, proc.sighand, (p) => p.sighand)) proc.sighand = proc.sighand.copy();
  proc.fds.closeOnExec();
  proc.sighand.resetForExec();
}
