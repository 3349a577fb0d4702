// The inotify ABI: event bits, watch flags and the struct inotify_event records read(2)
// returns ({ int wd; u32 mask, cookie, len; char name[len]; }, the name NUL-padded so the
// next record starts 16-byte aligned).
export const IN_ACCESS = 0x1;
export const IN_MODIFY = 0x2;
export const IN_ATTRIB = 0x4;
export const IN_CLOSE_WRITE = 0x8;
export const IN_CLOSE_NOWRITE = 0x10;
export const IN_OPEN = 0x20;
export const IN_MOVED_FROM = 0x40;
export const IN_MOVED_TO = 0x80;
export const IN_CREATE = 0x100;
export const IN_DELETE = 0x200;
export const IN_DELETE_SELF = 0x400;
export const IN_MOVE_SELF = 0x800;
export const IN_ALL_EVENTS = 0xfff;
export const IN_UNMOUNT = 0x2000;
export const IN_Q_OVERFLOW = 0x4000;
export const IN_IGNORED = 0x8000;
export const IN_ONLYDIR = 0x1000000;
export const IN_DONT_FOLLOW = 0x2000000;
export const IN_EXCL_UNLINK = 0x4000000;
export const IN_MASK_CREATE = 0x10000000;
export const IN_MASK_ADD = 0x20000000;
export const IN_ISDIR = 0x40000000;
export const IN_ONESHOT = 0x80000000;

/** Every bit inotify_add_watch knows (ALL_INOTIFY_BITS): a mask with none of them is EINVAL. */
export const ALL_INOTIFY_BITS =
  IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT;
/** What a watch keeps of the mask it was given (the lookup flags are used and dropped). */
export const WATCH_KEPT_BITS = IN_ALL_EVENTS | IN_EXCL_UNLINK | IN_ONESHOT;
/** Events a directory's watch also gets for its children, named (FS_EVENTS_POSS_ON_CHILD). */
export const CHILD_EVENTS = IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_OPEN;

export const INOTIFY_EVENT_HEADER = 16;

/** One queued event; name is '' for events about the watched object itself. */
export interface InotifyEvent {
  readonly wd: number;
  readonly mask: number;
  readonly cookie: number;
  readonly name: Uint8Array;
}

/** len as Linux reports it: the name, its NUL, padded to a multiple of the header size; 0 without a name. */
export function paddedNameLength(event: InotifyEvent): number {
  return event.name.length === 0 ? 0 : Math.ceil((event.name.length + 1) / INOTIFY_EVENT_HEADER) * INOTIFY_EVENT_HEADER;
}

export function eventSize(event: InotifyEvent): number {
  return INOTIFY_EVENT_HEADER + paddedNameLength(event);
}

/** Writes the record at off (the name's padding stays zero in a fresh buffer). */
export function encodeEvent(out: Uint8Array, off: number, event: InotifyEvent): void {
  const view = new DataView(out.buffer, out.byteOffset + off, INOTIFY_EVENT_HEADER);
  view.setInt32(0, event.wd, true);
  view.setUint32(4, event.mask >>> 0, true);
  view.setUint32(8, event.cookie >>> 0, true);
  view.setUint32(12, paddedNameLength(event), true);
  out.set(event.name, off + INOTIFY_EVENT_HEADER);
}
