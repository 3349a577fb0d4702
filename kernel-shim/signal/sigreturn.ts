// rt_sigreturn: the registers, signal mask, alternate stack and FPU state a handler's frame
// saved (frame.ts) come back; a frame that cannot be read kills the process with SIGSEGV,
// as Linux's force_sig does.
import { killProcess } from '../lifecycle.js';
import type { Task } from '../task.js';
import { RT_SIGFRAME_SIZE, readFrame } from './frame.js';
import { SIGSEGV } from './numbers.js';
import { UNBLOCKABLE } from './wait-mask.js';

const SS_DISABLE = 2, SS_AUTODISARM = 0x80000000 | 0;
const MINSIGSTKSZ = 2048;
/** RFLAGS bits rt_sigreturn takes from the frame (FIX_EFLAGS). */
const FIX_EFLAGS = 0x50dd5n;
/** The fxsave area a frame's fpstate points at. */
const FPSTATE_SIZE = 512;

/** Restores `t` from the frame at its rsp - 8 (the handler's return popped the restorer address). */
export function sigreturn(t: Task): void {
  const engine = t.process.engine;
  const mm = t.process.mm;
  const frameAddr = Number(engine.readRegister('rsp')) - 8;
  const bytes = mm.read(frameAddr, RT_SIGFRAME_SIZE);
  if (bytes === null) {
    killProcess(t.process, SIGSEGV, true);
    return;
  }
  const frame = readFrame(bytes);
  t.signalMask = frame.mask & ~UNBLOCKABLE;
  const alt = frame.altStack;
  if (alt.flags === SS_DISABLE) t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
  else if (alt.size >= MINSIGSTKSZ) t.altStack = { sp: alt.sp, size: alt.size, flags: alt.flags & SS_AUTODISARM };
  const fpu = frame.fpAddr === 0n ? null : mm.read(Number(frame.fpAddr), FPSTATE_SIZE);
  if (frame.fpAddr !== 0n && fpu === null) {
    killProcess(t.process, SIGSEGV, true);
    return;
  }
  const regs = frame.regs;
  const current = engine.readRegister('rflags');
  regs.rflags = (current & ~FIX_EFLAGS) | (regs.rflags! & FIX_EFLAGS);
  // Unicorn adds 2 to rip after the syscall hook returns.
  regs.rip = regs.rip! - 2n;
  engine.writeRegisters(regs);
  engine.writeFpu(fpu);
}
