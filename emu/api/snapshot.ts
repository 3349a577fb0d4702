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
// - each process's bookkeeping: pid/ppid/pgid/sid, children, exit status (zombies stay
//   zombies), cwd, umask, comm, the exec image, signal dispositions, rlimits, process-wide
//   pending signals, the ITIMER_REAL timer, job control (stopped, an unreported stop or
//   continue), child subreaper and parent-death signal;
// - fd tables: which description sits at which fd with its close-on-exec bit, the
//   descriptions themselves (held open by the snapshot, so a file the guest closed later
//   comes back), their status flags and, for seekable ones (regular files, directories),
//   their offset; the API's captured stdout/stderr are cut back to their length and its
//   stdin rewound;
// - deterministic mode's virtual clock and random generator state, and the next pid: with
//   `deterministic`, a rerun from a snapshot repeats the first run exactly.
//
// Not covered: anything outside guest memory and the above — file contents on the host
// (a file written after the snapshot stays written; only offsets go back), data buffered
// inside pipes, eventfds, epoll sets, userfaultfd contexts and registrations, trampfd
// state, futex wait queues (no task is waiting after a restore), host time (without
// deterministic mode clocks keep running), ushim's counters (--stats), and the API's own
// hooks and breakpoints (they stay as they are). Processes created after the snapshot
// vanish on restore, without SIGCHLD.
import type { CpuContext } from '../../cpu/engine.js';
import type { Siginfo } from '../../kernel-shim/abi/siginfo.js';
import { SEEK_CUR, SEEK_SET } from '../../kernel-shim/fs/constants.js';
import type { OpenFile } from '../../kernel-shim/fs/file.js';
import { FdTable, releaseFile, retainFile } from '../../kernel-shim/fs/fdtable.js';
import type { Kernel } from '../../kernel-shim/kernel.js';
import { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import { type VmArea, sourceOf } from '../../kernel-shim/mm/areas.js';
import { PAGE_SIZE, TASK_SIZE } from '../../kernel-shim/mm/constants.js';
import { munmap } from '../../kernel-shim/mm/mapping.js';
import { PTE_EXEC, makePte, pteFrame } from '../../kernel-shim/mm/pagetable.js';
import type { SharedObject } from '../../kernel-shim/mm/shared.js';
import type { ExitStatus, ImageInfo, Process, SigAction } from '../../kernel-shim/process.js';
import type { JobReport } from '../../kernel-shim/signal/jobctl.js';
import type { AltStack, Task } from '../../kernel-shim/task.js';
import { CaptureFile, InputFile } from './capture.js';

interface PageImage {
  vpn: number;
  /** Low pte bits (permissions, copy-on-write). */
  flags: number;
  /** The page's bytes (private pages, and MAP_SHARED pages to write back). */
  bytes?: Uint8Array;
  /** A page of a shared object (MAP_SHARED memory, or a file's page cache it still shares). */
  object?: SharedObject;
  index?: number;
}

interface MmImage {
  areas: VmArea[];
  brkStart: number;
  brk: number;
  mmapBase: number;
  minAddr: number;
  pages: PageImage[];
}

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
  /** Null for a task that had exited. */
  context: CpuContext | null;
  blocked: boolean;
  signalMask: bigint;
  savedMask: bigint | null;
  altStack: AltStack;
  clearChildTid: number;
  robustList: number;
  robustListLength: number;
  pending: Siginfo[];
}

interface ProcessImage {
  proc: Process;
  /** Null for a process that had exited (its memory and files were gone already). */
  mm: MmImage | null;
  fds: FdsImage | null;
  tasks: TaskImage[];
  ppid: number;
  pgid: number;
  sid: number;
  cwd: string;
  umask: number;
  comm: string;
  image: ImageInfo | undefined;
  exitStatus: ExitStatus | undefined;
  reaped: boolean;
  exitSignal: number;
  stopped: boolean;
  jobReport: JobReport | undefined;
  childSubreaper: boolean;
  parentDeathSignal: number;
  sigactions: SigAction[];
  rlimits: { cur: bigint; max: bigint }[];
  pending: Siginfo[];
  children: Process[];
  realTimer: { deadline: bigint; interval: bigint } | undefined;
  vforkParent: Task | undefined;
}

function copyArea(a: VmArea): VmArea {
  const copy = a.slice(a.start, a.end);
  // userfaultfd registrations are not part of a snapshot (see above).
  copy.uffd = undefined;
  copy.uffdModes = 0;
  return copy;
}

function captureMm(mm: AddressSpace): MmImage {
  const bytes = mm.frames.memory.bytes;
  const pages: PageImage[] = [];
  mm.pageTable.forEachEntry((vpn, pte) => {
    const va = vpn * PAGE_SIZE;
    const frame = pteFrame(pte);
    const flags = pte - frame * 16;
    const area = mm.areas.find(va);
    const b = area?.backing;
    const index = area === undefined ? 0 : (area.offset + (va - area.start)) / PAGE_SIZE;
    const copy = (): Uint8Array => bytes.slice(frame * PAGE_SIZE, (frame + 1) * PAGE_SIZE);
    if (b?.kind === 'shared') pages.push({ vpn, flags, object: b.object, index, bytes: copy() });
    else if (b?.kind === 'file' && b.cache.has(index) && b.cache.frameAt(index) === frame) pages.push({ vpn, flags, object: b.cache, index });
    else pages.push({ vpn, flags, bytes: copy() });
  });
  return { areas: mm.areas.items.map(copyArea), brkStart: mm.brkStart, brk: mm.brk, mmapBase: mm.mmapBase, minAddr: mm.minAddr, pages };
}

function buildMm(k: Kernel, image: MmImage): AddressSpace {
  const frames = k.frames;
  const mm = new AddressSpace(frames, k.stats.mm, image.minAddr);
  mm.brkStart = image.brkStart;
  mm.brk = image.brk;
  mm.mmapBase = image.mmapBase;
  for (const a of image.areas) {
    const area = copyArea(a);
    const source = sourceOf(area);
    if (source !== undefined) source.users++;
    mm.areas.items.push(area);
  }
  const bytes = frames.memory.bytes;
  for (const p of image.pages) {
    let frame: number;
    if (p.object !== undefined) {
      frame = p.object.frameAt(p.index!);
      frames.ref(frame);
      if (p.bytes !== undefined) {
        bytes.set(p.bytes, frame * PAGE_SIZE);
        frames.hostWrote(frame);
      }
    } else {
      frame = frames.alloc();
      bytes.set(p.bytes!, frame * PAGE_SIZE);
    }
    if (p.flags & PTE_EXEC) frames.markExecutable(frame);
    mm.pageTable.set(p.vpn, makePte(frame, p.flags));
  }
  mm.changed();
  return mm;
}

function captureFds(fds: FdTable): FdsImage {
  return { limit: fds.limit, entries: fds.list().map((fd) => ({ fd, file: fds.get(fd)!.file, cloexec: fds.get(fd)!.cloexec })) };
}

/** The state of the whole guest at one moment between runs (see the top of this file). */
export class GuestSnapshot {
  private readonly processes: ProcessImage[] = [];
  private readonly runOrder: Task[];
  private readonly files = new Map<OpenFile, FileImage>();
  private readonly nextPid: number;
  private readonly virtualNs: bigint;
  private readonly randomState: bigint;
  private disposed = false;

  constructor(private readonly k: Kernel) {
    const engine = k.engine;
    const sched = k.scheduler;
    const mms = new Map<AddressSpace, MmImage>();
    const tables = new Map<FdTable, FdsImage>();
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
        return {
          task, context, blocked: task.state === 'blocked',
          signalMask: task.signalMask, savedMask: task.savedMask, altStack: { ...task.altStack },
          clearChildTid: task.clearChildTid, robustList: task.robustList, robustListLength: task.robustListLength,
          pending: task.pending.queued.map((i) => ({ ...i })),
        };
      });
      this.processes.push({
        proc, mm, fds, tasks,
        ppid: proc.ppid, pgid: proc.pgid, sid: proc.sid, cwd: proc.cwd, umask: proc.umask, comm: proc.comm, image: proc.image,
        exitStatus: proc.exitStatus === undefined ? undefined : { ...proc.exitStatus }, reaped: proc.reaped, exitSignal: proc.exitSignal,
        stopped: proc.stopped, jobReport: proc.jobReport === undefined ? undefined : { ...proc.jobReport },
        childSubreaper: proc.childSubreaper, parentDeathSignal: proc.parentDeathSignal,
        sigactions: proc.sigactions.map((a) => ({ ...a })), rlimits: proc.rlimits.map((l) => ({ ...l })),
        pending: proc.pending.queued.map((i) => ({ ...i })), children: [...proc.children],
        realTimer: proc.realTimer === undefined ? undefined : { ...proc.realTimer }, vforkParent: proc.vforkParent,
      });
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
    this.nextPid = k.nextPid;
    this.virtualNs = k.clock.virtualNs;
    this.randomState = k.random.state;
  }

  /** Puts the guest back into the snapshot's state (between runs only). */
  restore(): void {
    if (this.disposed) throw new Error('restore of a disposed snapshot');
    const k = this.k;
    const sched = k.scheduler;
    const engine = k.engine;
    const inSnapshot = new Set(this.processes.map((p) => p.proc));
    const everyone = new Set([...k.processes.values(), ...inSnapshot]);

    // Every task stops (off run and wait queues); the snapshot's come back below.
    for (const p of everyone) for (const t of p.tasks) if (t.state !== 'exited') sched.retire(t);

    // Files first (so that descriptions both tables hold never reach zero references).
    const oldTables = new Set<FdTable>();
    const oldMms = new Set<AddressSpace>();
    for (const p of everyone) {
      if (p.exited) continue;
      oldTables.add(p.fds);
      oldMms.add(p.mm);
    }
    const newTables = new Map<FdsImage, FdTable>();
    const newMms = new Map<MmImage, AddressSpace>();
    for (const img of this.processes) {
      if (img.fds !== null && !newTables.has(img.fds)) {
        const table = new FdTable();
        table.limit = img.fds.limit;
        for (const e of img.fds.entries) table.install(e.file, e.cloexec, e.fd);
        newTables.set(img.fds, table);
      }
      if (img.mm !== null && !newMms.has(img.mm)) newMms.set(img.mm, buildMm(k, img.mm));
    }
    for (const [file, image] of this.files) {
      file.flags = image.flags;
      if (image.offset !== undefined) file.seek(image.offset, SEEK_SET);
      if (image.captured !== undefined && file instanceof CaptureFile) file.truncateTo(image.captured);
      if (image.inputPos !== undefined && file instanceof InputFile) file.position = image.inputPos;
    }
    for (const table of oldTables) table.closeAll();
    for (const mm of oldMms) munmap(mm, 0, TASK_SIZE);

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
      if (img.mm !== null) {
        const mm = newMms.get(img.mm)!;
        mm.listener = { invalidate: () => engine.flushTlb() };
        p.mm = mm;
      }
      if (img.fds !== null) p.fds = newTables.get(img.fds)!;
      p.ppid = img.ppid;
      p.pgid = img.pgid;
      p.sid = img.sid;
      p.cwd = img.cwd;
      p.umask = img.umask;
      p.comm = img.comm;
      p.image = img.image;
      p.exitStatus = img.exitStatus === undefined ? undefined : { ...img.exitStatus };
      p.reaped = img.reaped;
      p.exitSignal = img.exitSignal;
      p.stopped = img.stopped;
      p.jobReport = img.jobReport === undefined ? undefined : { ...img.jobReport };
      p.childSubreaper = img.childSubreaper;
      p.parentDeathSignal = img.parentDeathSignal;
      img.sigactions.forEach((a, i) => (p.sigactions[i] = { ...a }));
      img.rlimits.forEach((l, i) => (p.rlimits[i] = { ...l }));
      p.pending.clear();
      for (const info of img.pending) p.pending.add({ ...info });
      p.children.splice(0, p.children.length, ...img.children);
      p.realTimer = img.realTimer === undefined ? undefined : { ...img.realTimer };
      p.vforkParent = img.vforkParent;
      p.tasks.splice(0, p.tasks.length, ...img.tasks.map((t) => t.task));
    }

    // Tasks: state and registers, then back on the run queue in the snapshot's order.
    const images = this.processes.flatMap((p) => p.tasks);
    for (const img of images) {
      const t = img.task;
      t.wait = null;
      t.wakeResult = undefined;
      t.deadline = undefined;
      t.signalMask = img.blocked && img.savedMask !== null ? img.savedMask : img.signalMask;
      t.savedMask = img.blocked ? null : img.savedMask;
      t.altStack = { ...img.altStack };
      t.clearChildTid = img.clearChildTid;
      t.robustList = img.robustList;
      t.robustListLength = img.robustListLength;
      t.pending.clear();
      for (const info of img.pending) t.pending.add({ ...info });
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
    for (const file of this.files.keys()) releaseFile(file);
    this.files.clear();
  }
}
