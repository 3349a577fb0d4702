// The public face of a snapshot: a handle whose contents only the emulator that made it
// knows (Emulator keeps them by handle).
import type { Task } from '../../kernel-shim/task.js';

/**
 * Where a stopped task resumes. Resuming runs the instruction there without stopping at a
 * breakpoint on it again, and without calling the code hooks that already ran for this
 * execution of it (a stop before the instruction); hooks added since run.
 */
export interface ResumePoint {
  task: Task;
  address: number;
  /** Ids of the code hooks that already ran at `address`. */
  ran: ReadonlySet<number>;
}

/** A snapshot of the whole guest (see README, "Programmable API", for what it covers). */
export class Snapshot {
  /** Made by Emulator.snapshot() only (makeSnapshot). */
  private constructor(private readonly release: () => void) {}

  /** Releases the saved CPU states and the descriptions the snapshot keeps open. */
  dispose(): void {
    this.release();
  }
}

/** A Snapshot whose dispose() calls release. */
export function makeSnapshot(release: () => void): Snapshot {
  // The constructor is private so that the public type cannot be made by users.
  return new (Snapshot as unknown as new (release: () => void) => Snapshot)(release);
}
