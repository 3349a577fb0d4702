// The gdb remote protocol engine. It owns no socket and no CPU: bytes come in through
// feed(), replies go out through a Transport, and the process is reached only through the
// Target interface (target.ts). All-stop mode only.
//
// Non-blocking: a resume packet (vCont, c, s, ...) calls target.resume() and returns without
// a reply; the target later reports a StopEvent through its stop listener and the stub sends
// the stop reply then. While the target runs, a 0x03 byte calls target.interrupt(); other
// packets are held until the stop.

import {
  escapeBinary,
  framePacket,
  fromHex,
  PacketParser,
  rleEncode,
  toHex,
  unescapeBinary,
} from './packet.js';
import { gdbSignalFromLinux, linuxSignalFromGdb } from './signals.js';
import {
  AMD64_REGISTERS,
  REG,
  SIGTRAP,
  type BreakpointType,
  type ResumeAction,
  type StopEvent,
  type Target,
  type WatchType,
} from './target.js';
import { readTdesc } from './tdesc.js';

export interface Transport {
  /** Send bytes to gdb. */
  write(data: Buffer): void;
  /** End the connection (after D or k). */
  close(): void;
}

export type SessionEnd = 'detached' | 'killed';

export interface StubOptions {
  /** Largest packet advertised to gdb (PacketSize), in bytes. Default 0x4000. */
  packetSize?: number;
  /** Run-length encode replies, as gdbserver does. Default true. */
  rle?: boolean;
  /**
   * Accept gdb's multiprocess extensions (thread ids pPID.TID) when gdb offers them.
   * Default true: gdb then knows the real pid, which `info proc` needs.
   */
  multiprocess?: boolean;
  /** Report exec stops as exec events when gdb offers exec-events. Default true. */
  execEvents?: boolean;
  /** qAttached reply: true if the process existed before the debugger came. Default false. */
  attached?: boolean;
  /** The stop '?' reports before the first resume. Default SIGTRAP on the main thread. */
  initialStop?: StopEvent;
  /** Packet trace: '<-' for packets from gdb, '->' for packets to gdb. */
  log?: (direction: '<-' | '->', payload: string) => void;
  /** Called once when gdb ends the session with D (detach) or k/vKill (kill). */
  onEnd?: (how: SessionEnd) => void;
}

/** A thread id as gdb writes it: a pid (multiprocess) and a tid, each 'all' (-1), 'any' (0) or a number. */
interface ThreadId {
  pid: number | 'all' | 'any';
  tid: number | 'all' | 'any';
}

const DEFAULT_PACKET_SIZE = 0x4000;
const PAGE = 0x1000n;
const EXPEDITE = [REG.rbp, REG.rsp, REG.rip];

// gdb File-I/O errno values (the same numbers as Linux for these).
const ENOENT = 2;
const EBADF = 9;
const EACCES = 13;
const EINVAL = 22;
const EROFS = 30;

const hex = (n: number | bigint): string => n.toString(16);
const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

function parseHexNumber(s: string): number | null {
  if (!/^[0-9a-fA-F]{1,13}$/.test(s)) return null;
  return parseInt(s, 16);
}

function parseHexAddress(s: string): bigint | null {
  if (!/^[0-9a-fA-F]{1,16}$/.test(s)) return null;
  return BigInt('0x' + s);
}

function parseIdPart(s: string): number | 'all' | 'any' | null {
  if (s === '-1') return 'all';
  const n = parseHexNumber(s);
  if (n === null) return null;
  return n === 0 ? 'any' : n;
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class GdbStub {
  private readonly parser: PacketParser;
  private readonly opts: Required<Omit<StubOptions, 'initialStop' | 'log' | 'onEnd'>> & Pick<StubOptions, 'log' | 'onEnd'>;

  private noAck = false;
  private lastSent: Buffer | null = null;
  private gdbFeatures = new Set<string>();
  private multiprocess = false;
  private execEvents = false;

  /** Hg thread: null = any (the stop thread). */
  private generalTid: number | null = null;
  /** Hc thread: null = all/any. */
  private contTid: number | null = null;

  private running = false;
  private gone = false; // the process exited or was killed
  private ended = false; // the session is over
  private endReported = false;
  private lastStop: StopEvent;
  private lastResume: readonly ResumeAction[] = [];
  private held: Buffer[] = [];

  private readonly xferCache = new Map<string, Buffer>();
  private readonly files = new Map<number, Uint8Array>();
  private nextFd = 1;
  /** Inserted breakpoints and watchpoints: "type:addr:kind". */
  private readonly breakpoints = new Set<string>();

  constructor(
    private readonly target: Target,
    private readonly transport: Transport,
    options: StubOptions = {},
  ) {
    this.opts = {
      packetSize: options.packetSize ?? DEFAULT_PACKET_SIZE,
      rle: options.rle ?? true,
      multiprocess: options.multiprocess ?? true,
      execEvents: options.execEvents ?? true,
      attached: options.attached ?? false,
      log: options.log,
      onEnd: options.onEnd,
    };
    this.parser = new PacketParser({ maxPacketSize: Math.max(this.opts.packetSize * 2, 1 << 20) });
    const threads = target.threads();
    this.lastStop = options.initialStop ?? { reason: 'signal', tid: threads[0] ?? target.pid, signal: SIGTRAP };
    target.setStopListener((event) => this.onStop(event));
  }

  /** True while the target runs (a resume was sent and no stop has been reported yet). */
  get isRunning(): boolean {
    return this.running;
  }

  /** True once the session is over: after D, k, or dispose(). */
  get isEnded(): boolean {
    return this.ended;
  }

  /** True once the process has exited or been killed. */
  get processGone(): boolean {
    return this.gone;
  }

  /** Stop listening to the target (the connection is gone). */
  dispose(): void {
    this.ended = true;
    this.target.setStopListener(null);
  }

  /** Bytes from gdb, in chunks of any size. */
  feed(chunk: Uint8Array): void {
    for (const ev of this.parser.feed(chunk)) {
      if (this.ended) return;
      switch (ev.type) {
        case 'ack':
          break;
        case 'nack':
          if (!this.noAck && this.lastSent) this.transport.write(this.lastSent);
          break;
        case 'interrupt':
          if (this.running) this.target.interrupt();
          break;
        case 'bad-checksum':
          if (!this.noAck) this.transport.write(Buffer.from('-'));
          break;
        case 'overflow':
          if (!this.noAck) this.transport.write(Buffer.from('+'));
          this.send('E01');
          break;
        case 'notification':
          break;
        case 'packet':
          if (!this.noAck) this.transport.write(Buffer.from('+'));
          if (this.running) this.held.push(ev.payload);
          else this.handle(ev.payload);
          break;
      }
    }
  }

  /** The target's stop report (normally called through the target's stop listener). */
  onStop(event: StopEvent): void {
    if (this.ended) return;
    if (event.reason === 'fork') {
      // No fork-events: the child runs untraced; carry on with the parent as it was.
      if (this.running) {
        const actions = this.lastResume;
        queueMicrotask(() => {
          if (this.running && !this.ended) this.target.resume(actions);
        });
      }
      return;
    }
    this.lastStop = event;
    this.xferCache.clear();
    // A new image has none of the old breakpoints (the target dropped them, as exec does):
    // gdb re-inserts the ones it still wants.
    if (event.reason === 'exec') this.breakpoints.clear();
    if (event.reason === 'exited' || event.reason === 'killed') this.gone = true;
    if (!this.running) return; // not waited for: '?' will report it
    this.running = false;
    this.send(this.stopReply(event));
    while (!this.running && !this.ended && this.held.length > 0) this.handle(this.held.shift()!);
  }

  // ---- output -------------------------------------------------------------------------

  private send(reply: string | Buffer): void {
    const payload = typeof reply === 'string' ? Buffer.from(reply, 'latin1') : reply;
    this.opts.log?.('->', payload.toString('latin1'));
    const framed = framePacket(this.opts.rle ? rleEncode(payload) : payload);
    this.lastSent = framed;
    this.transport.write(framed);
  }

  /** Report the end of the session once; with close, also stop serving and drop the connection. */
  private end(how: SessionEnd, close: boolean): void {
    if (this.ended) return;
    if (!this.endReported) {
      this.endReported = true;
      this.opts.onEnd?.(how);
    }
    if (close) {
      this.dispose();
      this.transport.close();
    }
  }

  // ---- dispatch -----------------------------------------------------------------------

  private handle(raw: Buffer): void {
    const p = raw.toString('latin1');
    this.opts.log?.('<-', p);
    let reply: string | Buffer | null;
    try {
      reply = this.dispatch(p, raw);
    } catch (err) {
      this.opts.log?.('->', `internal error: ${(err as Error).message}`);
      reply = 'E01';
    }
    if (reply !== null && !this.ended) this.send(reply);
  }

  /** The reply for a packet, or null for none (resume, k). */
  private dispatch(p: string, raw: Buffer): string | Buffer | null {
    switch (p[0]) {
      case '?':
        return this.stopReply(this.lastStop);
      case 'g':
        return this.readAllRegisters();
      case 'G':
        return this.writeAllRegisters(p.slice(1));
      case 'p':
        return this.readRegister(p.slice(1));
      case 'P':
        return this.writeRegister(p.slice(1));
      case 'm':
        return this.readMemory(p.slice(1));
      case 'M':
        return this.writeMemoryHex(p.slice(1));
      case 'X':
        return this.writeMemoryBinary(raw);
      case 'c':
      case 's':
      case 'C':
      case 'S':
        return this.legacyResume(p);
      case 'H':
        return this.setThread(p.slice(1));
      case 'T':
        return this.threadAlive(p.slice(1));
      case 'Z':
      case 'z':
        return this.breakpoint(p);
      case 'k':
        this.kill();
        this.end('killed', true);
        return null;
      case 'D':
        return this.detach(p);
      case 'q':
        return this.query(p);
      case 'Q':
        return this.set(p);
      case 'v':
        return this.vPacket(p);
      default:
        return '';
    }
  }

  private query(p: string): string | Buffer {
    if (p.startsWith('qSupported')) return this.supported(p);
    if (p.startsWith('qXfer:')) return this.xfer(p);
    switch (p) {
      case 'qfThreadInfo':
        return this.gone ? 'l' : 'm' + this.target.threads().map((t) => this.formatTid(t)).join(',');
      case 'qsThreadInfo':
        return 'l';
      case 'qC':
        return this.gone ? 'E01' : 'QC' + this.formatTid(this.currentTid());
      case 'qSymbol::':
        return 'OK';
      case 'qTStatus':
      case 'qOffsets':
        return '';
    }
    if (p === 'qAttached' || p.startsWith('qAttached:')) return this.opts.attached ? '1' : '0';
    if (p.startsWith('qThreadExtraInfo,')) {
      const id = this.parseThreadId(p.slice('qThreadExtraInfo,'.length));
      const tid = id && typeof id.tid === 'number' ? id.tid : null;
      const name = tid !== null && !this.gone ? this.target.threadName(tid) : null;
      return name === null ? '' : toHex(Buffer.from(name, 'utf8'));
    }
    return '';
  }

  private set(p: string): string | null {
    if (p === 'QStartNoAckMode') {
      // The '+' for this packet has gone out already; the OK is the last acknowledged packet.
      this.send('OK');
      this.noAck = true;
      return null;
    }
    return '';
  }

  private vPacket(p: string): string | Buffer | null {
    if (p === 'vMustReplyEmpty') return '';
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) return this.vCont(p.slice(6));
    if (p.startsWith('vKill')) {
      this.kill();
      this.end('killed', false);
      return 'OK';
    }
    if (p.startsWith('vFile:')) return this.hostIo(p.slice(6));
    return '';
  }

  // ---- qSupported / features ----------------------------------------------------------

  private supported(p: string): string {
    const colon = p.indexOf(':');
    this.gdbFeatures = new Set(
      colon < 0
        ? []
        : p
            .slice(colon + 1)
            .split(';')
            .filter((f) => f.endsWith('+'))
            .map((f) => f.slice(0, -1)),
    );
    this.multiprocess = this.opts.multiprocess && this.gdbFeatures.has('multiprocess');
    this.execEvents = this.opts.execEvents && this.gdbFeatures.has('exec-events');
    const features = [
      `PacketSize=${hex(this.opts.packetSize)}`,
      'QStartNoAckMode+',
      'qXfer:features:read+',
      'qXfer:auxv:read+',
      'qXfer:exec-file:read+',
      'qXfer:threads:read+',
      ...(this.target.siginfo !== undefined ? ['qXfer:siginfo:read+'] : []),
      'vContSupported+',
      this.multiprocess ? 'multiprocess+' : 'multiprocess-',
    ];
    if (this.gdbFeatures.has('swbreak')) features.push('swbreak+');
    if (this.gdbFeatures.has('hwbreak')) features.push('hwbreak+');
    if (this.execEvents) features.push('exec-events+');
    return features.join(';');
  }

  // ---- threads ------------------------------------------------------------------------

  private formatTid(tid: number): string {
    return this.multiprocess ? `p${hex(this.target.pid)}.${hex(tid)}` : hex(tid);
  }

  private parseThreadId(s: string): ThreadId | null {
    if (s.startsWith('p')) {
      const dot = s.indexOf('.');
      const pid = parseIdPart(dot < 0 ? s.slice(1) : s.slice(1, dot));
      const tid = dot < 0 ? 'all' : parseIdPart(s.slice(dot + 1));
      if (pid === null || tid === null) return null;
      return { pid, tid };
    }
    const tid = parseIdPart(s);
    return tid === null ? null : { pid: 'any', tid };
  }

  private matchesProcess(id: ThreadId): boolean {
    return typeof id.pid !== 'number' || id.pid === this.target.pid;
  }

  private alive(tid: number): boolean {
    return !this.gone && this.target.threads().includes(tid);
  }

  /** The thread g/p/m act on: the Hg thread if alive, else the last stop's thread, else the first. */
  private currentTid(): number {
    if (this.generalTid !== null && this.alive(this.generalTid)) return this.generalTid;
    const ev = this.lastStop;
    if ('tid' in ev && this.alive(ev.tid)) return ev.tid;
    return this.target.threads()[0] ?? this.target.pid;
  }

  private setThread(s: string): string {
    const op = s[0];
    const id = this.parseThreadId(s.slice(1));
    if ((op !== 'g' && op !== 'c') || id === null || !this.matchesProcess(id)) return 'E01';
    let tid: number | null = null;
    if (typeof id.tid === 'number') {
      if (!this.alive(id.tid)) return 'E01';
      tid = id.tid;
    }
    if (op === 'g') this.generalTid = tid;
    else this.contTid = tid;
    return 'OK';
  }

  private threadAlive(s: string): string {
    const id = this.parseThreadId(s);
    if (id === null || !this.matchesProcess(id) || typeof id.tid !== 'number') return 'E01';
    return this.alive(id.tid) ? 'OK' : 'E01';
  }

  private threadsXml(): string {
    const lines = this.target.threads().map((t) => {
      const name = this.target.threadName(t);
      return `<thread id="${this.formatTid(t)}" core="0"${name === null ? '' : ` name="${xmlEscape(name)}"`}/>\n`;
    });
    return `<?xml version="1.0"?>\n<threads>\n${lines.join('')}</threads>\n`;
  }

  // ---- stop replies -------------------------------------------------------------------

  private stopReply(ev: StopEvent): string {
    const proc = this.multiprocess ? `;process:${hex(this.target.pid)}` : '';
    if (ev.reason === 'exited') return `W${hex2(ev.status & 0xff)}${proc}`;
    if (ev.reason === 'killed') return `X${hex2(gdbSignalFromLinux(ev.signal))}${proc}`;
    if (ev.reason === 'fork') return `T${hex2(gdbSignalFromLinux(SIGTRAP))}thread:${this.formatTid(ev.tid)};`;
    const sig = ev.reason === 'signal' ? ev.signal : SIGTRAP;
    let out = `T${hex2(gdbSignalFromLinux(sig))}`;
    switch (ev.reason) {
      case 'breakpoint':
        if (ev.type === 'software' && this.gdbFeatures.has('swbreak')) out += 'swbreak:;';
        if (ev.type === 'hardware' && this.gdbFeatures.has('hwbreak')) out += 'hwbreak:;';
        break;
      case 'watchpoint':
        out += `${ev.type === 'write' ? 'watch' : ev.type === 'read' ? 'rwatch' : 'awatch'}:${hex(ev.address)};`;
        break;
      case 'exec':
        if (this.execEvents) out += `exec:${toHex(Buffer.from(ev.path, 'utf8'))};`;
        break;
    }
    if (this.alive(ev.tid)) {
      for (const r of EXPEDITE) {
        const v = this.target.readRegister(ev.tid, r);
        if (v !== null && v.length === AMD64_REGISTERS[r].size) out += `${hex2(r)}:${toHex(v)};`;
      }
    }
    out += `thread:${this.formatTid(ev.tid)};`;
    // gdb takes the stop thread as its general thread from here on.
    this.generalTid = ev.tid;
    return out;
  }

  // ---- registers ----------------------------------------------------------------------

  private readAllRegisters(): string {
    if (this.gone) return 'E01';
    const tid = this.currentTid();
    let out = '';
    for (const r of AMD64_REGISTERS) {
      const v = this.target.readRegister(tid, r.regno);
      out += v !== null && v.length === r.size ? toHex(v) : 'xx'.repeat(r.size);
    }
    return out;
  }

  private writeAllRegisters(data: string): string {
    if (this.gone) return 'E01';
    const tid = this.currentTid();
    let pos = 0;
    for (const r of AMD64_REGISTERS) {
      if (pos >= data.length) break;
      const chunk = data.slice(pos, pos + r.size * 2);
      pos += r.size * 2;
      if (chunk.length < r.size * 2) return 'E01';
      if (/^x+$/i.test(chunk)) continue; // unavailable: leave it
      const bytes = fromHex(chunk);
      if (bytes === null) return 'E01';
      if (!this.target.writeRegister(tid, r.regno, bytes)) return 'E01';
    }
    return 'OK';
  }

  private readRegister(s: string): string {
    const regno = parseHexNumber(s);
    if (regno === null || regno >= AMD64_REGISTERS.length || this.gone) return 'E01';
    const r = AMD64_REGISTERS[regno];
    const v = this.target.readRegister(this.currentTid(), regno);
    return v !== null && v.length === r.size ? toHex(v) : 'xx'.repeat(r.size);
  }

  private writeRegister(s: string): string {
    const eq = s.indexOf('=');
    const regno = eq < 0 ? null : parseHexNumber(s.slice(0, eq));
    if (regno === null || regno >= AMD64_REGISTERS.length || this.gone) return 'E01';
    const bytes = fromHex(s.slice(eq + 1));
    if (bytes === null || bytes.length !== AMD64_REGISTERS[regno].size) return 'E01';
    return this.target.writeRegister(this.currentTid(), regno, bytes) ? 'OK' : 'E01';
  }

  // ---- memory -------------------------------------------------------------------------

  private parseAddrLen(s: string): { addr: bigint; len: number } | null {
    const comma = s.indexOf(',');
    if (comma < 0) return null;
    const addr = parseHexAddress(s.slice(0, comma));
    const len = parseHexNumber(s.slice(comma + 1));
    if (addr === null || len === null) return null;
    return { addr, len };
  }

  /** Read as much of [addr, addr+len) as is readable from addr on; null if not even the first byte. */
  private readPrefix(addr: bigint, len: number): Uint8Array | null {
    const whole = this.target.readMemory(addr, len);
    if (whole !== null) return whole;
    const parts: Uint8Array[] = [];
    let got = 0;
    let a = addr;
    while (got < len) {
      const n = Math.min(len - got, Number(PAGE - (a % PAGE)));
      const part = this.target.readMemory(a, n);
      if (part === null) break;
      parts.push(part);
      got += n;
      a += BigInt(n);
    }
    return got === 0 ? null : Buffer.concat(parts);
  }

  private readMemory(s: string): string {
    const req = this.parseAddrLen(s);
    if (req === null || this.gone) return 'E01';
    const len = Math.min(req.len, Math.floor((this.opts.packetSize - 8) / 2));
    if (len === 0) return '';
    const data = this.readPrefix(req.addr, len);
    return data === null ? 'E01' : toHex(data);
  }

  private writeMemoryHex(s: string): string {
    const colon = s.indexOf(':');
    const req = colon < 0 ? null : this.parseAddrLen(s.slice(0, colon));
    if (req === null || this.gone) return 'E01';
    const data = fromHex(s.slice(colon + 1));
    if (data === null || data.length !== req.len) return 'E01';
    if (data.length === 0) return 'OK';
    return this.target.writeMemory(req.addr, data) ? 'OK' : 'E01';
  }

  private writeMemoryBinary(raw: Buffer): string {
    const colon = raw.indexOf(0x3a);
    const req = colon < 0 ? null : this.parseAddrLen(raw.subarray(1, colon).toString('latin1'));
    if (req === null || this.gone) return 'E01';
    const data = unescapeBinary(raw.subarray(colon + 1));
    if (data === null || data.length !== req.len) return 'E01';
    if (data.length === 0) return 'OK'; // gdb's probe for X support
    return this.target.writeMemory(req.addr, data) ? 'OK' : 'E01';
  }

  // ---- breakpoints --------------------------------------------------------------------

  private breakpoint(p: string): string {
    const insert = p[0] === 'Z';
    if (!/^[Zz][0-4],/.test(p)) return ''; // other types are not supported
    const m = /^[Zz]([0-4]),([0-9a-fA-F]{1,16}),([0-9a-fA-F]{1,8})(?:;.*)?$/.exec(p);
    if (m === null) return 'E01';
    if (this.gone) return 'E01';
    const type = Number(m[1]);
    const addr = BigInt('0x' + m[2]);
    const kind = parseInt(m[3], 16);
    const key = `${type}:${hex(addr)}:${kind}`;
    // As in gdbserver, a second Z for an inserted location is not a second breakpoint
    // (gdb re-sends it, e.g. after a library reload), and one z removes it.
    if (insert && this.breakpoints.has(key)) return 'OK';
    if (!insert && !this.breakpoints.has(key)) return 'E01';
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
    if (insert) this.breakpoints.add(key);
    else this.breakpoints.delete(key);
    return 'OK';
  }

  // ---- execution ----------------------------------------------------------------------

  private startResume(actions: ResumeAction[]): string | null {
    if (this.gone) return this.stopReply(this.lastStop);
    if (actions.length === 0) return 'E01';
    this.running = true;
    this.lastResume = actions;
    this.xferCache.clear();
    this.target.resume(actions);
    return null;
  }

  /** c [addr], s [addr], C sig[;addr], S sig[;addr]: act on the Hc thread, as gdbserver does. */
  private legacyResume(p: string): string | null {
    if (this.gone) return this.stopReply(this.lastStop);
    const step = p[0] === 's' || p[0] === 'S';
    let rest = p.slice(1);
    let signal = 0;
    if (p[0] === 'C' || p[0] === 'S') {
      const semi = rest.indexOf(';');
      const sig = parseHexNumber(semi < 0 ? rest : rest.slice(0, semi));
      if (sig === null) return 'E01';
      signal = linuxSignalFromGdb(sig);
      rest = semi < 0 ? '' : rest.slice(semi + 1);
    }
    const current = this.contTid !== null && this.alive(this.contTid) ? this.contTid : this.currentTid();
    if (rest !== '') {
      const addr = parseHexAddress(rest);
      if (addr === null) return 'E01';
      const v = Buffer.alloc(8);
      v.writeBigUInt64LE(addr);
      if (!this.target.writeRegister(current, REG.rip, v)) return 'E01';
    }
    const actions: ResumeAction[] = [{ tid: current, step, signal }];
    if (this.contTid === null) {
      for (const t of this.target.threads()) if (t !== current) actions.push({ tid: t, step: false, signal: 0 });
    }
    return this.startResume(actions);
  }

  /** vCont;action[:thread-id]...: for each thread the leftmost matching action applies. */
  private vCont(s: string): string | null {
    if (this.gone) return this.stopReply(this.lastStop);
    const parsed: { step: boolean; signal: number; id: ThreadId | null }[] = [];
    for (const part of s.split(';')) {
      const colon = part.indexOf(':');
      const action = colon < 0 ? part : part.slice(0, colon);
      const id = colon < 0 ? null : this.parseThreadId(part.slice(colon + 1));
      if (colon >= 0 && id === null) return 'E01';
      let step: boolean;
      let signal = 0;
      if (action === 'c' || action === 's') {
        step = action === 's';
      } else if ((action[0] === 'C' || action[0] === 'S') && action.length > 1) {
        const sig = parseHexNumber(action.slice(1));
        if (sig === null) return 'E01';
        step = action[0] === 'S';
        signal = linuxSignalFromGdb(sig);
      } else {
        return 'E01'; // t, r and anything else are not supported (not in vCont?)
      }
      parsed.push({ step, signal, id });
    }
    const actions: ResumeAction[] = [];
    for (const tid of this.target.threads()) {
      const a = parsed.find(
        (x) => x.id === null || (this.matchesProcess(x.id) && (typeof x.id.tid !== 'number' || x.id.tid === tid)),
      );
      if (a) actions.push({ tid, step: a.step, signal: a.signal });
    }
    return this.startResume(actions);
  }

  private kill(): void {
    if (!this.gone) {
      this.running = false;
      this.target.kill();
      this.gone = true;
      this.lastStop = { reason: 'killed', signal: 9 };
    }
    this.breakpoints.clear();
  }

  private detach(p: string): string | null {
    // 'D' or 'D;pid'
    if (p !== 'D' && !(p.startsWith('D;') && parseHexNumber(p.slice(2)) === this.target.pid)) return 'E01';
    if (!this.gone) this.target.detach();
    this.breakpoints.clear();
    this.send('OK');
    this.end('detached', true);
    return null;
  }

  // ---- qXfer --------------------------------------------------------------------------

  private xferObject(object: string, annex: string): Buffer | null | 'unsupported' {
    switch (object) {
      case 'features': {
        const doc = readTdesc(annex);
        return doc === null ? null : Buffer.from(doc, 'utf8');
      }
      case 'auxv': {
        if (annex !== '' || this.gone) return null;
        const a = this.target.auxv();
        return a === null ? null : Buffer.from(a);
      }
      case 'siginfo': {
        if (this.target.siginfo === undefined) return 'unsupported';
        if (annex !== '' || this.gone) return null;
        const si = this.target.siginfo(this.currentTid());
        return si === null ? null : Buffer.from(si);
      }
      case 'exec-file': {
        if (annex !== '' && parseHexNumber(annex) !== this.target.pid) return null;
        const path = this.target.execFile();
        return path === null ? null : Buffer.from(path, 'utf8');
      }
      case 'threads':
        if (annex !== '') return null;
        return Buffer.from(this.gone ? '<?xml version="1.0"?>\n<threads>\n</threads>\n' : this.threadsXml(), 'utf8');
      default:
        return 'unsupported';
    }
  }

  private xfer(p: string): string | Buffer {
    const m = /^qXfer:([^:]+):read:([^:]*):([0-9a-fA-F]{1,16}),([0-9a-fA-F]{1,8})$/.exec(p);
    if (m === null) return p.includes(':read:') ? 'E01' : '';
    const [, object, annex] = m;
    const offset = parseInt(m[3], 16);
    const length = parseInt(m[4], 16);
    const key = `${object}:${annex}`;
    let data = offset === 0 ? undefined : this.xferCache.get(key);
    if (data === undefined) {
      const got = this.xferObject(object, annex);
      if (got === 'unsupported') return '';
      if (got === null) return 'E00';
      data = got;
      this.xferCache.set(key, data);
    }
    if (offset >= data.length) return 'l';
    const chunk = data.subarray(offset, offset + Math.min(length, this.opts.packetSize - 8));
    const last = offset + chunk.length >= data.length;
    return Buffer.concat([Buffer.from(last ? 'l' : 'm'), escapeBinary(chunk)]);
  }

  // ---- vFile host I/O -----------------------------------------------------------------

  private hostIo(s: string): string | Buffer {
    const colon = s.indexOf(':');
    const op = colon < 0 ? s : s.slice(0, colon);
    const argText = colon < 0 ? '' : s.slice(colon + 1);
    const args = argText.split(',');
    const fail = (errno: number): string => `F-1,${hex(errno)}`;
    switch (op) {
      case 'setfs':
        return 'F0';
      case 'open': {
        const path = fromHex(args[0] ?? '');
        const flags = parseHexNumber(args[1] ?? '');
        if (path === null || flags === null) return fail(EINVAL);
        if ((flags & 3) !== 0) return fail(EROFS);
        const data = this.target.readFile(path.toString('utf8'));
        if (data === null) return fail(ENOENT);
        const fd = this.nextFd++;
        this.files.set(fd, data);
        return `F${hex(fd)}`;
      }
      case 'pread': {
        const fd = parseHexNumber(args[0] ?? '');
        const count = parseHexNumber(args[1] ?? '');
        const offset = parseHexNumber(args[2] ?? '');
        if (fd === null || count === null || offset === null) return fail(EINVAL);
        const data = this.files.get(fd);
        if (data === undefined) return fail(EBADF);
        const n = Math.min(count, Math.floor((this.opts.packetSize - 32) / 2));
        const chunk = offset >= data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(offset, offset + n));
        return Buffer.concat([Buffer.from(`F${hex(chunk.length)};`), escapeBinary(chunk)]);
      }
      case 'pwrite':
        return fail(EBADF); // every descriptor is read-only
      case 'close': {
        const fd = parseHexNumber(args[0] ?? '');
        if (fd === null || !this.files.delete(fd)) return fail(EBADF);
        return 'F0';
      }
      case 'fstat': {
        const fd = parseHexNumber(args[0] ?? '');
        const data = fd === null ? undefined : this.files.get(fd);
        if (data === undefined) return fail(EBADF);
        // gdb's struct stat: big-endian, 64 bytes.
        const st = Buffer.alloc(64);
        st.writeUInt32BE(0o100444, 8); // st_mode: regular file, r--r--r--
        st.writeUInt32BE(1, 12); // st_nlink
        st.writeBigUInt64BE(BigInt(data.length), 28); // st_size
        st.writeBigUInt64BE(4096n, 36); // st_blksize
        st.writeBigUInt64BE(BigInt(Math.ceil(data.length / 512)), 44); // st_blocks
        return Buffer.concat([Buffer.from(`F${hex(st.length)};`), escapeBinary(st)]);
      }
      case 'readlink': {
        const path = fromHex(args[0] ?? '');
        if (path === null) return fail(EINVAL);
        const m = /^\/proc\/(\d+|self)\/exe$/.exec(path.toString('utf8'));
        if (m === null) return fail(EINVAL);
        if (m[1] !== 'self' && Number(m[1]) !== this.target.pid) return fail(ENOENT);
        const exe = this.target.execFile();
        if (exe === null) return fail(ENOENT);
        const bytes = Buffer.from(exe, 'utf8');
        return Buffer.concat([Buffer.from(`F${hex(bytes.length)};`), escapeBinary(bytes)]);
      }
      case 'unlink':
        return fail(EACCES);
      default:
        return '';
    }
  }
}
