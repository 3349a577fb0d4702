// Snapshots of the whole guest, for the programmable API: taken between runs, restored to
// rerun from that point as often as wanted. What a snapshot covers (README "Programmable
// API" says the same to users):
//
// - every process in the kernel's table and its tasks: the full CPU state of each task
//   (uc_context: general, segment-base, flag, x87/SSE registers), its state (a task blocked
//   in a syscall comes back runnable at its `syscall` instruction: the call restarts from
//   scratch, as after SA_RESTART; a ppoll/pselect mask it had swapped in is undone), signal
//   mask, alternate stack, pending signals, clear_child_tid and robust list; the run order;
// - each address space: the areas (protection, flags, backing, names), brk and mmap base,
//   and every present page: private pages are copied byte for byte; pages still shared
//   with a file's page cache keep referring to it (their content is the file's); pages of
//   MAP_SHARED memory get their bytes written back into the shared object on restore;
// - each process's bookkeeping, saved and put back by the copy fork uses too
//   (kernel-shim/process-copy.ts): pid/ppid/pgid/sid, children, exit status (zombies stay
//   zombies), comm, the exec image, rlimits, process-wide pending signals, the ITIMER_REAL
//   timer, job control (stopped, an unreported stop or continue), child subreaper and
//   parent-death signal; its fs context (cwd, umask) and signal dispositions, shared between
//   the processes that shared them (CLONE_FS, CLONE_SIGHAND);
// - fd tables: which description sits at which fd with its close-on-exec bit, the
//   descriptions themselves (held open by the snapshot, so a file the guest closed later
//   comes back), their status flags and, for seekable ones (regular files, directories),
//   their offset; the API's captured stdout/stderr are cut back to their length and its
//   stdin rewound;
// - userfaultfd (snapshot-uffd.ts): each context (flags, features) with the areas
//   registered with it, the write-protect and poison markers, the kernel's finished event
//   chains; a fault a task was parked on is reported again when the task retries the access
//   after the restore;
// - trampfd (snapshot-trampfd.ts): each trampfd file's contexts (registers, stack data,
//   allowed PCs) and position, open or only mapped;
// - deterministic mode's virtual clock and random generator state, and the next pid: with
//   `deterministic`, a rerun from a snapshot repeats the first run exactly.
//
// Not covered: anything outside guest memory and the above — file contents on the host
// (a file written after the snapshot stays written; only offsets go back), data buffered
// inside pipes, eventfds, epoll sets, userfaultfd messages not read yet (the faults come
// again; fork and remap events do not), futex wait queues (no task is waiting after a
// restore), System V IPC objects (semaphore values and queued messages stay as they are;
// attached shared memory is MAP_SHARED memory and gets its bytes back), host time (without
// deterministic mode clocks keep running), ushim's counters (--stats), and the API's own
// hooks and breakpoints (they stay as they are). Processes created after the snapshot
// vanish on restore, without SIGCHLD.
import type { CpuContext } from '../../kernel-shim/cpu-port.js';
import { SEEK_CUR, SEEK_SET } from '../../kernel-shim/fs/constants.js';
import type { OpenFile } from '../../kernel-shim/fs/file.js';
import { FdTable, releaseFile, retainFile } from '../../kernel-shim/fs/fdtable.js';
import type { Kernel } from '../../kernel-shim/kernel.js';
import type { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import { TASK_SIZE } from '../../kernel-shim/mm/constants.js';
import { munmap } from '../../kernel-shim/mm/mapping.js';
import { type MmImage, buildMm, captureMm } from '../../kernel-shim/mm/image.js';
import type { FsContext } from '../../kernel-shim/fs/fscontext.js';
import type { Process } from '../../kernel-shim/process.js';
import { copyProcess, copyProcessState, copyTask, copyTaskState } from '../../kernel-shim/process-copy.js';
import type { SignalHandlers } from '../../kernel-shim/signal/handlers.js';
import type { Task } from '../../kernel-shim/task.js';
import { CaptureFile, InputFile } from './capture.js';
import { TrampfdImage } from './snapshot-trampfd.js';
import { UffdImage } from './snapshot-uffd.js';

interface FdsImage {
  limit: number;
  entries: { fd: number; file: OpenFile; cloexec: boolean }[];
}

interface FileImage {
  flags: number;
  offset?: bigint;
  captured?: number;
  inputPos?: number;
}

interface TaskImage {
  task: Task;
  /** A copy of the task's state (outside any process). */
  saved: Task;
  /** Null for a task that had exited. */
  context: CpuContext | null;
  blocked: boolean;
}

interface ProcessImage {
  proc: Process;
  /**
   * A copy of the process's state (outside the process table) holding copies of its fs
   * context and handler table; its mm and fds are the live ones, whose contents the images
   * beside it keep.
   */
  saved: Process;
  /** Null for a process that had exited (its memory and files were gone already). */
  mm: MmImage | null;
  fds: FdsImage | null;
  tasks: TaskImage[];
}

function captureFds(fds: FdTable): FdsImage {
  return { limit: fds.limit, entries: fds.list().map((fd) => ({ fd, file: fds.get(fd)!.file, cloexec: fds.get(fd)!.cloexec })) };
}

/** The state of the whole guest at one moment between runs (see the top of this file). */
export class GuestSnapshot {
  private readonly processes: ProcessImage[] = [];
  private readonly runOrder: Task[];
  private readonly files = new Map<OpenFile, FileImage>();
  /** Each live address space's image. */
  private readonly mms = new Map<AddressSpace, MmImage>();
  private readonly uffd: UffdImage;
  private readonly trampfd: TrampfdImage;
  private readonly nextPid: number;
  private readonly virtualNs: bigint;
  private readonly randomState: bigint;
  private disposed = false;

  constructor(private readonly k: Kernel) {
    const engine = k.cpu;
    const sched = k.scheduler;
    const mms = this.mms;
    const tables = new Map<FdTable, FdsImage>();
    const fsCopies = new Map<FsContext, FsContext>();
    const handlerCopies = new Map<SignalHandlers, SignalHandlers>();
    for (const proc of k.processes.values()) {
      const alive = !proc.exited;
      let mm: MmImage | null = null;
      let fds: FdsImage | null = null;
      if (alive) {
        mm = mms.get(proc.mm) ?? captureMm(proc.mm);
        mms.set(proc.mm, mm);
        fds = tables.get(proc.fds) ?? captureFds(proc.fds);
        tables.set(proc.fds, fds);
      }
      const tasks = proc.tasks.map((task): TaskImage => {
        let context: CpuContext | null = null;
        if (task.state !== 'exited') {
          sched.load(task);
          context = engine.newContext();
        }
        return { task, saved: copyTask(task), context, blocked: task.state === 'blocked' };
      });
      const fs = fsCopies.get(proc.fs) ?? proc.fs.copy();
      fsCopies.set(proc.fs, fs);
      const sighand = handlerCopies.get(proc.sighand) ?? proc.sighand.copy();
      handlerCopies.set(proc.sighand, sighand);
      const saved = copyProcess(proc, proc.pid, { mm: proc.mm, fds: proc.fds, fs, sighand }, 'whole');
      this.processes.push({ proc, saved, mm, fds, tasks });
    }
    this.runOrder = [...sched.queued];
    for (const table of tables.values()) {
      for (const { file } of table.entries) {
        if (this.files.has(file)) continue;
        retainFile(file); // held open until dispose(): the guest may close it meanwhile
        const image: FileImage = { flags: file.flags };
        if (file instanceof CaptureFile) image.captured = file.length;
        else if (file instanceof InputFile) image.inputPos = file.position;
        else {
          const offset = file.seek(0n, SEEK_CUR);
          if (typeof offset === 'bigint') image.offset = offset;
        }
        this.files.set(file, image);
      }
    }
    this.uffd = new UffdImage(k, this.files.keys(), mms.keys());
    this.trampfd = new TrampfdImage(this.files.keys(), mms.keys());
    this.nextPid = k.nextPid;
    this.virtualNs = k.clock.virtualNs;
    this.randomState = k.random.state;
  }

  /** Puts the guest back into the snapshot's state (between runs only). */
  restore(): void {
    if (this.disposed) throw new Error('restore of a disposed snapshot');
    const k = this.k;
    const sched = k.scheduler;
    const engine = k.cpu;
    const inSnapshot = new Set(this.processes.map((p) => p.proc));
    const everyone = new Set([...k.processes.values(), ...inSnapshot]);

    // Every task stops (off run and wait queues); the snapshot's come back below.
    for (const p of everyone) for (const t of p.tasks) if (t.state !== 'exited') sched.retire(t);

    // Files first (so that descriptions both tables hold never reach zero references).
    const oldTables = new Set<FdTable>();
    const oldMms = new Set<AddressSpace>();
    const oldFs = new Set<FsContext>();
    for (const p of everyone) {
      if (p.exited) continue;
      oldTables.add(p.fds);
      oldMms.add(p.mm);
      oldFs.add(p.fs);
    }
    const newMms = new Map<MmImage, AddressSpace>();
    const rebuilt = new Map<AddressSpace, AddressSpace>();
    for (const [old, image] of this.mms) {
      const mm = buildMm(k, image);
      newMms.set(image, mm);
      rebuilt.set(old, mm);
    }
    // userfaultfd files come back as new files, on contexts for the rebuilt address spaces.
    const replaced = this.uffd.restore(k, rebuilt);
    this.trampfd.restore();
    const newTables = new Map<FdsImage, FdTable>();
    for (const img of this.processes) {
      if (img.fds !== null && !newTables.has(img.fds)) {
        const table = new FdTable();
        table.limit = img.fds.limit;
        for (const e of img.fds.entries) table.install(replaced.get(e.file) ?? e.file, e.cloexec, e.fd);
        newTables.set(img.fds, table);
      }
    }
    for (const [file, image] of this.files) {
      (replaced.get(file) ?? file).flags = image.flags;
      if (image.offset !== undefined) file.seek(image.offset, SEEK_SET);
      if (image.captured !== undefined && file instanceof CaptureFile) file.truncateTo(image.captured);
      if (image.inputPos !== undefined && file instanceof InputFile) file.position = image.inputPos;
    }
    const newFs = new Map<FsContext, FsContext>();
    const newHandlers = new Map<SignalHandlers, SignalHandlers>();
    for (const { saved } of this.processes) {
      if (!newFs.has(saved.fs)) newFs.set(saved.fs, saved.fs.copy());
      if (!newHandlers.has(saved.sighand)) newHandlers.set(saved.sighand, saved.sighand.copy());
    }
    for (const table of oldTables) table.closeAll();
    for (const mm of oldMms) munmap(mm, 0, TASK_SIZE);
    for (const fs of oldFs) fs.drop();

    // Processes born after the snapshot are gone.
    for (const p of everyone) {
      if (inSnapshot.has(p)) continue;
      p.exitStatus ??= { code: 0 };
      p.reaped = true;
    }
    k.processes.clear();
    for (const img of this.processes) {
      const p = img.proc;
      k.processes.set(p.pid, p);
      let mm = p.mm;
      if (img.mm !== null) {
        mm = newMms.get(img.mm)!;
        mm.listener = { invalidate: () => engine.flushTlb() };
      }
      const fds = img.fds === null ? p.fds : newTables.get(img.fds)!;
      copyProcessState(img.saved, p, { mm, fds, fs: newFs.get(img.saved.fs)!, sighand: newHandlers.get(img.saved.sighand)! }, 'whole');
      p.tasks.splice(0, p.tasks.length, ...img.tasks.map((t) => t.task));
    }

    // Tasks: state and registers, then back on the run queue in the snapshot's order.
    const images = this.processes.flatMap((p) => p.tasks);
    for (const img of images) {
      const t = img.task;
      t.wait = null;
      t.wakeResult = undefined;
      t.deadline = undefined;
      copyTaskState(img.saved, t, 'whole');
      // A ppoll/pselect/sigsuspend mask is undone: the call restarts from scratch.
      if (img.blocked && t.savedMask !== null) t.signalMask = t.savedMask;
      if (img.blocked) t.savedMask = null;
      if (img.context !== null) {
        engine.restoreContext(img.context);
        t.context = engine.newContext();
      }
    }
    // Tasks of a stopped process are in neither the run queue nor a wait: the scheduler sets
    // them aside again when it picks them.
    const setAside = images.filter((i) => i.context !== null && !i.blocked && !this.runOrder.includes(i.task)).map((i) => i.task);
    const order = [...this.runOrder, ...setAside, ...images.filter((i) => i.blocked).map((i) => i.task)];
    for (const t of order) {
      const img = images.find((i) => i.task === t);
      if (img?.context !== null && img !== undefined) sched.add(t);
    }

    k.nextPid = this.nextPid;
    k.clock.virtualNs = this.virtualNs;
    k.random.state = this.randomState;
    k.current = order[0];
    sched.yieldRequested = false;
    // Frames changed under every translation and TLB entry.
    engine.flushTlb();
    engine.flushCode();
    k.frames.releaseQuarantine();
  }

  /** Releases what the snapshot holds (saved CPU states, open descriptions). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.processes) for (const t of p.tasks) t.context?.free();
    for (const p of this.processes) p.saved.fs.drop();
    for (const file of this.files.keys()) releaseFile(file);
    this.files.clear();
  }
}
