// strace's decoding of the terminal ioctls' arguments, without -v: struct termios as its four
// mode words, {c_iflag=ICRNL|IXON, c_oflag=NL0|...|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, ...}; struct winsize,
// {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}; and the ints FIONREAD or TIOCGPGRP store, [0].
import { type GuestReader, hex, pointer, readView } from './strace-values.js';

type Names = readonly (readonly [string, number])[];

const IFLAGS: Names = [
  ['IGNBRK', 0o1], ['BRKINT', 0o2], ['IGNPAR', 0o4], ['PARMRK', 0o10], ['INPCK', 0o20], ['ISTRIP', 0o40], ['INLCR', 0o100],
  ['IGNCR', 0o200], ['ICRNL', 0o400], ['IUCLC', 0o1000], ['IXON', 0o2000], ['IXANY', 0o4000], ['IXOFF', 0o10000],
  ['IMAXBEL', 0o20000], ['IUTF8', 0o40000],
];

/** c_oflag's delay fields, each printed by value before the flags: [mask, names by value]. */
const ODELAYS: readonly (readonly [number, readonly string[]])[] = [
  [0o400, ['NL0', 'NL1']],
  [0o3000, ['CR0', 'CR1', 'CR2', 'CR3']],
  [0o14000, ['TAB0', 'TAB1', 'TAB2', 'TAB3']],
  [0o20000, ['BS0', 'BS1']],
  [0o40000, ['VT0', 'VT1']],
  [0o100000, ['FF0', 'FF1']],
];

const OFLAGS: Names = [
  ['OPOST', 0o1], ['OLCUC', 0o2], ['ONLCR', 0o4], ['OCRNL', 0o10], ['ONOCR', 0o20], ['ONLRET', 0o40], ['OFILL', 0o100], ['OFDEL', 0o200],
];

const CFLAGS: Names = [
  ['CSTOPB', 0o100], ['CREAD', 0o200], ['PARENB', 0o400], ['PARODD', 0o1000], ['HUPCL', 0o2000], ['CLOCAL', 0o4000],
  ['CMSPAR', 0o10000000000], ['CRTSCTS', 0o20000000000],
];

/** In strace's order, which is not the bits' order. */
const LFLAGS: Names = [
  ['ISIG', 0o1], ['ICANON', 0o2], ['XCASE', 0o4], ['ECHO', 0o10], ['ECHOE', 0o20], ['ECHOK', 0o40], ['ECHONL', 0o100],
  ['NOFLSH', 0o200], ['IEXTEN', 0o100000], ['ECHOCTL', 0o1000], ['ECHOPRT', 0o2000], ['ECHOKE', 0o4000],
  ['FLUSHO', 0o10000], ['PENDIN', 0o40000], ['TOSTOP', 0o400], ['EXTPROC', 0o200000],
];

const CBAUD = 0o10017;
const CBAUDEX = 0o10000;
const CSIZE = 0o60;
const BAUD_RATES = [0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400];
const EXTENDED_RATES = [0, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000];

/** The names of the set bits in table order, then any others in hex. */
function bitNames(value: number, table: Names, head: readonly string[] = []): string {
  const names = [...head];
  let rest = value;
  for (const [name, bit] of table) {
    if ((rest & bit) !== 0) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) names.push(hex(BigInt(rest >>> 0)));
  return names.length === 0 ? '0' : names.join('|');
}

function oflags(oflag: number): string {
  let rest = oflag;
  const delays = ODELAYS.map(([mask, names]) => {
    rest &= ~mask;
    return names[(oflag & mask) / (mask & -mask)];
  });
  return bitNames(rest, OFLAGS, delays);
}

/** The speed as strace names it (B38400, B115200), the character size, then the flags. */
function cflags(cflag: number): string {
  const speedBits = cflag & CBAUD;
  const speed = speedBits === CBAUDEX ? 'BOTHER' : `B${(speedBits & CBAUDEX ? EXTENDED_RATES : BAUD_RATES)[speedBits & ~CBAUDEX]}`;
  const size = `CS${5 + (cflag & CSIZE) / 0o20}`;
  return bitNames(cflag & ~CBAUD & ~CSIZE, CFLAGS, [speed, size]);
}

/** struct termios as strace prints it without -v: the four mode words, then "...". */
export function termios(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 16, mem);
  if (view === null) return pointer(addr);
  const w = (i: number) => view.getUint32(4 * i, true);
  return `{c_iflag=${bitNames(w(0), IFLAGS)}, c_oflag=${oflags(w(1))}, c_cflag=${cflags(w(2))}, c_lflag=${bitNames(w(3), LFLAGS)}, ...}`;
}

export function winsize(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 8, mem);
  if (view === null) return pointer(addr);
  const u = (i: number) => view.getUint16(2 * i, true);
  return `{ws_row=${u(0)}, ws_col=${u(1)}, ws_xpixel=${u(2)}, ws_ypixel=${u(3)}}`;
}

/** One int the ioctl reads or stores: [0]. */
export function boxedInt(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 4, mem);
  return view === null ? pointer(addr) : `[${view.getInt32(0, true)}]`;
}
