// The kernel's file-change notification hub, as Linux's fsnotify: the VFS operations guests
// make report what they did to an object (named by its identity, device and inode, never by
// a path), and every inotify watch on that object, or on the directory it was reached
// through, gets the event. Changes made by host processes are not seen.
import { CHILD_EVENTS, IN_DELETE_SELF, IN_EXCL_UNLINK, IN_ISDIR, IN_MOVE_SELF } from './inotify-abi.js';
import type { Watch, WatchRegistry } from './inotify-file.js';
import type { OpenFile } from '../fs/file.js';

/** An object events are about: its identity, and the directory entry it was reached through. */
export interface NotifySubject {
  readonly key: string;
  readonly isDir: boolean;
  /** No link is left (an open file that was removed): IN_EXCL_UNLINK watches skip it. */
  readonly unlinked?: boolean;
  readonly parent?: { readonly key: string; readonly name: Uint8Array };
}

export function identityKey(dev: bigint, ino: bigint): string {
  return `${dev}:${ino}`;
}

const NO_NAME = new Uint8Array(0);

export class FsNotify implements WatchRegistry {
  private readonly byKey = new Map<string, Set<Watch>>();
  /** Links IN_MOVED_FROM to its IN_MOVED_TO. */
  private lastCookie = 0;
  /** Descriptions the VFS opened and not yet closed: a removed file lives on while one is open. */
  private readonly openFiles = new Set<OpenFile>();

  /** Whether any watch exists: the VFS asks nothing more of the host while none does. */
  get active(): boolean {
    return this.byKey.size > 0;
  }

  add(watch: Watch): void {
    let set = this.byKey.get(watch.key);
    if (set === undefined) this.byKey.set(watch.key, (set = new Set()));
    set.add(watch);
  }

  remove(watch: Watch): void {
    const set = this.byKey.get(watch.key);
    set?.delete(watch);
    if (set?.size === 0) this.byKey.delete(watch.key);
  }

  nextCookie(): number {
    this.lastCookie = (this.lastCookie + 1) >>> 0;
    return this.lastCookie;
  }

  /**
   * An event on the object itself: the watches of the directory it was reached through get
   * it with its name first (for the events directories report of their children), then the
   * object's own watches without a name.
   */
  onObject(subject: NotifySubject, event: number): void {
    // Linux marks a directory's events IN_ISDIR, but not IN_DELETE_SELF and IN_MOVE_SELF.
    const mask = event | (subject.isDir && !(event & (IN_DELETE_SELF | IN_MOVE_SELF)) ? IN_ISDIR : 0);
    if (subject.parent !== undefined && event & CHILD_EVENTS) this.send(subject.parent.key, event, mask, 0, subject.parent.name, subject.unlinked);
    this.send(subject.key, event, mask, 0, NO_NAME, subject.unlinked);
  }

  /** An event about an entry of a directory (IN_CREATE, IN_DELETE, IN_MOVED_*), with the entry's name. */
  inDirectory(dirKey: string, event: number, name: Uint8Array, isDir: boolean, cookie = 0): void {
    this.send(dirKey, event, event | (isDir ? IN_ISDIR : 0), cookie, name, false);
  }

  /** The object is gone (its last link and use): its watches end with IN_IGNORED. */
  gone(key: string): void {
    for (const w of [...(this.byKey.get(key) ?? [])]) w.owner.removeWatch(w.wd);
  }

  opened(file: OpenFile): void {
    this.openFiles.add(file);
  }

  /** Whether a watched object is open (asked only for watched objects: it looks at every open file). */
  isOpen(key: string): boolean {
    if (!this.byKey.has(key)) return false;
    for (const f of this.openFiles) {
      const st = f.stat();
      if (typeof st !== 'number' && identityKey(st.dev, st.ino) === key) return true;
    }
    return false;
  }

  /** The last close of a removed file that was still open: only now it is gone (IN_DELETE_SELF). */
  closed(file: OpenFile): void {
    this.openFiles.delete(file);
    if (!this.active) return;
    const st = file.stat();
    if (typeof st === 'number' || st.nlink > 0 || (st.mode & 0o170000) === 0o040000) return;
    const key = identityKey(st.dev, st.ino);
    if (!this.byKey.has(key) || this.isOpen(key)) return;
    this.onObject({ key, isDir: false }, IN_DELETE_SELF);
    this.gone(key);
  }

  private send(key: string, event: number, mask: number, cookie: number, name: Uint8Array, unlinked = false): void {
    for (const w of [...(this.byKey.get(key) ?? [])]) {
      if (!(w.mask & event) || (unlinked && w.mask & IN_EXCL_UNLINK)) continue;
      // An instance whose one-shot watch fired already has it removed (IN_IGNORED queued).
      if (!w.owner.holds(w)) continue;
      w.owner.deliver(w, mask, cookie, name);
    }
  }
}
