// The Z/z packets: breakpoints (types 0, 1) and watchpoints (2 write, 3 read, 4 access)
// inserted into the target, and the set of what is inserted.
import { hex } from './packet-args.js';
import type { BreakpointType, Target, WatchType } from './target.js';

export class InsertedBreakpoints {
  /** "type:addr:kind" of each inserted breakpoint and watchpoint. */
  private readonly inserted = new Set<string>();

  constructor(private readonly target: Target) {}

  /** Forgets them all (the target dropped them: exec, kill, detach). */
  clear(): void {
    this.inserted.clear();
  }

  /** The reply to a Z or z packet; `gone` once the process has exited or was killed. */
  handle(p: string, gone: boolean): string {
    const insert = p[0] === 'Z';
    if (!/^[Zz][0-4],/.test(p)) return ''; // other types are not supported
    const m = /^[Zz]([0-4]),([0-9a-fA-F]{1,16}),([0-9a-fA-F]{1,8})(?:;.*)?$/.exec(p);
    if (m === null) return 'E01';
    if (gone) return 'E01';
    const type = Number(m[1]);
    const addr = BigInt('0x' + m[2]);
    const kind = parseInt(m[3], 16);
    const key = `${type}:${hex(addr)}:${kind}`;
    // As in gdbserver, a second Z for an inserted location is not a second breakpoint
    // (gdb re-sends it, e.g. after a library reload), and one z removes it.
    if (insert && this.inserted.has(key)) return 'OK';
    if (!insert && !this.inserted.has(key)) return 'E01';
    let ok: boolean;
    if (type <= 1) {
      const bt: BreakpointType = type === 0 ? 'software' : 'hardware';
      ok = insert ? this.target.insertBreakpoint(bt, addr, kind) : this.target.removeBreakpoint(bt, addr, kind);
    } else {
      const wt: WatchType = type === 2 ? 'write' : type === 3 ? 'read' : 'access';
      if (kind === 0) return 'E01';
      ok = insert ? this.target.insertWatchpoint(wt, addr, kind) : this.target.removeWatchpoint(wt, addr, kind);
    }
    if (!ok) return 'E01';
    if (insert) this.inserted.add(key);
    else this.inserted.delete(key);
    return 'OK';
  }
}
