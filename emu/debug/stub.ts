// The gdb remote protocol engine. It owns no socket and no CPU: bytes come in through
// feed(), replies go out through a Transport, and the process is reached only through the
// Target interface (target.ts). All-stop mode only.
//
// Non-blocking: a resume packet (vCont, c, s, ...) calls target.resume() and returns without
// a reply; the target later reports a StopEvent through its stop listener and the stub sends
// the stop reply then. While the target runs, a 0x03 byte calls target.interrupt(); other
// packets are held until the stop.

import { InsertedBreakpoints } from './breakpoints.js';
import {
  readAllRegisters,
  readMemory,
  readRegister,
  writeAllRegisters,
  writeMemoryBinary,
  writeMemoryHex,
  writeRegister,
} from './data-packets.js';
import { negotiateFeatures } from './features.js';
import { HostIo } from './host-io.js';
import { framePacket, PacketParser, rleEncode, toHex } from './packet.js';
import { parseHexNumber } from './packet-args.js';
import { parseLegacyResume, parseVCont, vContActions } from './resume-packets.js';
import { formatStopReply } from './stop-reply.js';
import { REG, SIGTRAP, type ResumeAction, type StopEvent, type Target } from './target.js';
import { readTdesc } from './tdesc.js';
import { formatThreadId, matchesProcess, parseThreadId } from './thread-ids.js';
import { XferReader } from './xfer.js';

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

const DEFAULT_PACKET_SIZE = 0x4000;

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

  private readonly xfer: XferReader;
  private readonly hostIo: HostIo;
  private readonly breakpoints: InsertedBreakpoints;

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
    this.xfer = new XferReader((object, annex) => this.xferObject(object, annex), this.opts.packetSize);
    this.hostIo = new HostIo(target, this.opts.packetSize);
    this.breakpoints = new InsertedBreakpoints(target);
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
    this.xfer.clear();
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
        return this.gone ? 'E01' : readAllRegisters(this.target, this.currentTid());
      case 'G':
        return this.gone ? 'E01' : writeAllRegisters(this.target, this.currentTid(), p.slice(1));
      case 'p':
        return this.gone ? 'E01' : readRegister(this.target, this.currentTid(), p.slice(1));
      case 'P':
        return this.gone ? 'E01' : writeRegister(this.target, this.currentTid(), p.slice(1));
      case 'm':
        return this.gone ? 'E01' : readMemory(this.target, p.slice(1), this.opts.packetSize);
      case 'M':
        return this.gone ? 'E01' : writeMemoryHex(this.target, p.slice(1));
      case 'X':
        return this.gone ? 'E01' : writeMemoryBinary(this.target, raw);
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
        return this.breakpoints.handle(p, this.gone);
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
    if (p.startsWith('qXfer:')) return this.xfer.read(p);
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
      const id = parseThreadId(p.slice('qThreadExtraInfo,'.length));
      const tid = id && typeof id.tid === 'number' ? id.tid : null;
      const name = tid !== null && !this.gone ? this.target.threadName(tid) : null;
      return name === null ? '' : toHex(Buffer.from(name, 'latin1')); // a byte string
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
    if (p.startsWith('vFile:')) return this.hostIo.handle(p.slice(6));
    return '';
  }

  // ---- qSupported / features ----------------------------------------------------------

  private supported(p: string): string {
    const n = negotiateFeatures(p, { ...this.opts, siginfo: this.target.siginfo !== undefined });
    this.gdbFeatures = n.gdbFeatures;
    this.multiprocess = n.multiprocess;
    this.execEvents = n.execEvents;
    return n.reply;
  }

  // ---- threads ------------------------------------------------------------------------

  private formatTid(tid: number): string {
    return formatThreadId(tid, this.target.pid, this.multiprocess);
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
    const id = parseThreadId(s.slice(1));
    if ((op !== 'g' && op !== 'c') || id === null || !matchesProcess(id, this.target.pid)) return 'E01';
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
    const id = parseThreadId(s);
    if (id === null || !matchesProcess(id, this.target.pid) || typeof id.tid !== 'number') return 'E01';
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
    const reply = formatStopReply(ev, {
      target: this.target,
      multiprocess: this.multiprocess,
      execEvents: this.execEvents,
      gdbFeatures: this.gdbFeatures,
      formatTid: (tid) => this.formatTid(tid),
      alive: (tid) => this.alive(tid),
    });
    // gdb takes a T reply's thread as its general thread from here on (not a fork's child).
    if (ev.reason !== 'exited' && ev.reason !== 'killed' && ev.reason !== 'fork') this.generalTid = ev.tid;
    return reply;
  }

  // ---- execution ----------------------------------------------------------------------

  private startResume(actions: ResumeAction[]): string | null {
    if (this.gone) return this.stopReply(this.lastStop);
    if (actions.length === 0) return 'E01';
    this.running = true;
    this.lastResume = actions;
    this.xfer.clear();
    this.target.resume(actions);
    return null;
  }

  /** c [addr], s [addr], C sig[;addr], S sig[;addr]: act on the Hc thread, as gdbserver does. */
  private legacyResume(p: string): string | null {
    if (this.gone) return this.stopReply(this.lastStop);
    const req = parseLegacyResume(p);
    if (req === null) return 'E01';
    const current = this.contTid !== null && this.alive(this.contTid) ? this.contTid : this.currentTid();
    if (req.addr !== null) {
      const v = Buffer.alloc(8);
      v.writeBigUInt64LE(req.addr);
      if (!this.target.writeRegister(current, REG.rip, v)) return 'E01';
    }
    const actions: ResumeAction[] = [{ tid: current, step: req.step, signal: req.signal }];
    if (this.contTid === null) {
      for (const t of this.target.threads()) if (t !== current) actions.push({ tid: t, step: false, signal: 0 });
    }
    return this.startResume(actions);
  }

  /** vCont;action[:thread-id]...: for each thread the leftmost matching action applies. */
  private vCont(s: string): string | null {
    if (this.gone) return this.stopReply(this.lastStop);
    const parsed = parseVCont(s);
    if (parsed === null) return 'E01';
    return this.startResume(vContActions(parsed, this.target.threads(), this.target.pid));
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
        return path === null ? null : Buffer.from(path, 'latin1'); // a byte string
      }
      case 'threads':
        if (annex !== '') return null;
        return Buffer.from(this.gone ? '<?xml version="1.0"?>\n<threads>\n</threads>\n' : this.threadsXml(), 'utf8');
      default:
        return 'unsupported';
    }
  }
}
