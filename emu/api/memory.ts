// Guest memory as a debugger (ptrace PEEKDATA/POKEDATA) sees it: pages are faulted in when
// their area allows any access, and writes go through even to read-only pages (code, for
// patching), into a private copy when the frame is shared (page cache, fork). Writes into
// code drop Unicorn's translations of it.
import type { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import { PAGE_SIZE } from '../../kernel-shim/mm/constants.js';
import { debuggerPage, debuggerWatchFrame } from '../../kernel-shim/mm/debugger-access.js';
import { pteFrame } from '../../kernel-shim/mm/pagetable.js';

const USER_TOP = 2 ** 47;

function eachPiece(mm: AddressSpace, addr: number, length: number, write: boolean, fn: (phys: number, n: number, done: number, frame: number) => void): boolean {
  if (!Number.isSafeInteger(addr) || addr < 0 || addr + length > USER_TOP) return false;
  let done = 0;
  while (done < length) {
    const at = addr + done;
    const page = at - (at % PAGE_SIZE);
    const n = Math.min(length - done, page + PAGE_SIZE - at);
    const pte = debuggerPage(mm, page, write);
    if (pte === 0) return false;
    fn(pteFrame(pte) * PAGE_SIZE + (at - page), n, done, pteFrame(pte));
    done += n;
  }
  return true;
}

export function readGuest(mm: AddressSpace, addr: number, length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  const memory = mm.frames.memory;
  return eachPiece(mm, addr, length, false, (phys, n, done) => out.set(memory.bytesAt(phys, n), done)) ? out : null;
}

/** False when some page is not mapped (the pages before it were written). */
export function writeGuest(mm: AddressSpace, addr: number, data: Uint8Array): boolean {
  const memory = mm.frames.memory;
  return eachPiece(mm, addr, data.length, true, (phys, n, done, frame) => {
    memory.set(data.subarray(done, done + n), phys);
    mm.frames.hostWrote(frame); // code: its translations go
  });
}

/** The physical pieces behind [addr, addr + length) of mapped pages (writable ones get their own frame first). */
export function physicalPieces(mm: AddressSpace, addr: number, length: number): { vaddr: number; start: number; end: number }[] {
  const out: { vaddr: number; start: number; end: number }[] = [];
  let at = Math.max(0, addr);
  const end = Math.min(addr + length, USER_TOP);
  while (at < end) {
    const page = at - (at % PAGE_SIZE);
    const n = Math.min(end - at, page + PAGE_SIZE - at);
    const frame = debuggerWatchFrame(mm, page);
    if (frame >= 0) {
      const phys = frame + (at - page);
      out.push({ vaddr: at, start: phys, end: phys + n });
    }
    at += n;
  }
  return out;
}

/** A NUL-terminated string at addr (at most max bytes), decoded as UTF-8; throws where unmapped. */
export function readGuestCString(mm: AddressSpace, addr: number, max: number): string {
  const parts: Uint8Array[] = [];
  for (let at = addr; at < addr + max; ) {
    const n = Math.min(4096 - (at % 4096), addr + max - at);
    const chunk = readGuest(mm, at, n);
    if (chunk === null) throw new RangeError(`guest memory at 0x${at.toString(16)} is not mapped`);
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      parts.push(chunk.subarray(0, nul));
      break;
    }
    parts.push(chunk);
    at += n;
  }
  return Buffer.concat(parts).toString('utf8');
}
