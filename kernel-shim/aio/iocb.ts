// struct iocb (what io_submit reads, 64 bytes) and struct io_event (what io_getevents
// writes, 32 bytes) of Linux native AIO.
export const IOCB_SIZE = 64;
export const IO_EVENT_SIZE = 32;
/** Where io_submit stores KIOCB_KEY (0) and where io_cancel checks it. */
export const IOCB_KEY_OFFSET = 8;

export const IOCB_CMD_PREAD = 0, IOCB_CMD_PWRITE = 1, IOCB_CMD_FSYNC = 2, IOCB_CMD_FDSYNC = 3, IOCB_CMD_POLL = 5, IOCB_CMD_PREADV = 7,
  IOCB_CMD_PWRITEV = 8;
export const IOCB_FLAG_RESFD = 1, IOCB_FLAG_IOPRIO = 2;

export interface Iocb {
  data: bigint;
  rwFlags: number;
  opcode: number;
  reqprio: number;
  fd: number;
  buf: bigint;
  nbytes: bigint;
  offset: bigint;
  reserved2: bigint;
  flags: number;
  resfd: number;
}

export function decodeIocb(raw: Uint8Array): Iocb {
  const v = new DataView(raw.buffer, raw.byteOffset, IOCB_SIZE);
  return {
    data: v.getBigUint64(0, true), rwFlags: v.getUint32(12, true), opcode: v.getUint16(16, true), reqprio: v.getInt16(18, true),
    fd: v.getInt32(20, true), buf: v.getBigUint64(24, true), nbytes: v.getBigUint64(32, true), offset: v.getBigInt64(40, true),
    reserved2: v.getBigUint64(48, true), flags: v.getUint32(56, true), resfd: v.getInt32(60, true),
  };
}

export interface IoEvent {
  data: bigint;
  /** The guest address of the iocb. */
  obj: bigint;
  res: bigint;
  res2: bigint;
}

export function encodeIoEvents(events: readonly IoEvent[]): Uint8Array {
  const out = new Uint8Array(IO_EVENT_SIZE * events.length);
  const v = new DataView(out.buffer);
  events.forEach((e, i) => {
    const o = IO_EVENT_SIZE * i;
    v.setBigUint64(o, e.data, true);
    v.setBigUint64(o + 8, e.obj, true);
    v.setBigInt64(o + 16, e.res, true);
    v.setBigInt64(o + 24, e.res2, true);
  });
  return out;
}
