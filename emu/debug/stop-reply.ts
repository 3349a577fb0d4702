// The stop reply packets: W (exited), X (killed), T (stopped: signal, why, a few registers
// gdb would ask for at once, and the thread).
import { toHex } from './packet.js';
import { hex, hex2 } from './packet-args.js';
import { gdbSignalFromLinux } from './signals.js';
import { AMD64_REGISTERS, REG, SIGTRAP, type StopEvent, type Target } from './target.js';

/** Registers sent with every T reply, saving gdb a round trip for each. */
const EXPEDITE = [REG.rbp, REG.rsp, REG.rip];

/** What a stop reply depends on in the session. */
export interface ReplyContext {
  target: Target;
  multiprocess: boolean;
  execEvents: boolean;
  gdbFeatures: ReadonlySet<string>;
  formatTid(tid: number): string;
  alive(tid: number): boolean;
}

export function formatStopReply(ev: StopEvent, s: ReplyContext): string {
  const proc = s.multiprocess ? `;process:${hex(s.target.pid)}` : '';
  if (ev.reason === 'exited') return `W${hex2(ev.status & 0xff)}${proc}`;
  if (ev.reason === 'killed') return `X${hex2(gdbSignalFromLinux(ev.signal))}${proc}`;
  if (ev.reason === 'fork') return `T${hex2(gdbSignalFromLinux(SIGTRAP))}thread:${s.formatTid(ev.tid)};`;
  const sig = ev.reason === 'signal' ? ev.signal : SIGTRAP;
  let out = `T${hex2(gdbSignalFromLinux(sig))}`;
  switch (ev.reason) {
    case 'breakpoint':
      if (ev.type === 'software' && s.gdbFeatures.has('swbreak')) out += 'swbreak:;';
      if (ev.type === 'hardware' && s.gdbFeatures.has('hwbreak')) out += 'hwbreak:;';
      break;
    case 'watchpoint':
      out += `${ev.type === 'write' ? 'watch' : ev.type === 'read' ? 'rwatch' : 'awatch'}:${hex(ev.address)};`;
      break;
    case 'exec':
      if (s.execEvents) out += `exec:${toHex(Buffer.from(ev.path, 'latin1'))};`; // a byte string
      break;
  }
  if (s.alive(ev.tid)) {
    for (const r of EXPEDITE) {
      const v = s.target.readRegister(ev.tid, r);
      if (v !== null && v.length === AMD64_REGISTERS[r].size) out += `${hex2(r)}:${toHex(v)};`;
    }
  }
  return out + `thread:${s.formatTid(ev.tid)};`;
}
