// struct winsize (TIOCGWINSZ/TIOCSWINSZ) and the kernel's struct termios (TCGETS/TCSETS*),
// which differs from glibc's user-space termios (no speed fields, 19 control chars).
import { bytesAt } from './bytes.js';

export interface Winsize {
  row: number;
  col: number;
  xpixel: number;
  ypixel: number;
}
export const WINSIZE_SIZE = 8;
export const WINSIZE_OFFSETS = { row: 0, col: 2, xpixel: 4, ypixel: 6 } as const;

export function decodeWinsize(view: DataView, off: number): Winsize {
  return {
    row: view.getUint16(off + WINSIZE_OFFSETS.row, true),
    col: view.getUint16(off + WINSIZE_OFFSETS.col, true),
    xpixel: view.getUint16(off + WINSIZE_OFFSETS.xpixel, true),
    ypixel: view.getUint16(off + WINSIZE_OFFSETS.ypixel, true),
  };
}

export function encodeWinsize(view: DataView, off: number, w: Winsize): void {
  view.setUint16(off + WINSIZE_OFFSETS.row, w.row, true);
  view.setUint16(off + WINSIZE_OFFSETS.col, w.col, true);
  view.setUint16(off + WINSIZE_OFFSETS.xpixel, w.xpixel, true);
  view.setUint16(off + WINSIZE_OFFSETS.ypixel, w.ypixel, true);
}

export const NCCS = 19;

export interface Termios {
  iflag: number;
  oflag: number;
  cflag: number;
  lflag: number;
  line: number;
  /** c_cc[NCCS], indexed by VINTR 0, VQUIT 1, VERASE 2, VKILL 3, VEOF 4, VTIME 5, VMIN 6, ... */
  cc: Uint8Array;
}
export const TERMIOS_SIZE = 36;
export const TERMIOS_OFFSETS = { iflag: 0, oflag: 4, cflag: 8, lflag: 12, line: 16, cc: 17 } as const;

export function decodeTermios(view: DataView, off: number): Termios {
  return {
    iflag: view.getUint32(off + TERMIOS_OFFSETS.iflag, true),
    oflag: view.getUint32(off + TERMIOS_OFFSETS.oflag, true),
    cflag: view.getUint32(off + TERMIOS_OFFSETS.cflag, true),
    lflag: view.getUint32(off + TERMIOS_OFFSETS.lflag, true),
    line: view.getUint8(off + TERMIOS_OFFSETS.line),
    cc: bytesAt(view, off + TERMIOS_OFFSETS.cc, NCCS).slice(),
  };
}

export function encodeTermios(view: DataView, off: number, t: Termios): void {
  view.setUint32(off + TERMIOS_OFFSETS.iflag, t.iflag, true);
  view.setUint32(off + TERMIOS_OFFSETS.oflag, t.oflag, true);
  view.setUint32(off + TERMIOS_OFFSETS.cflag, t.cflag, true);
  view.setUint32(off + TERMIOS_OFFSETS.lflag, t.lflag, true);
  view.setUint8(off + TERMIOS_OFFSETS.line, t.line);
  const cc = bytesAt(view, off + TERMIOS_OFFSETS.cc, NCCS);
  cc.fill(0);
  cc.set(t.cc.subarray(0, NCCS));
}
