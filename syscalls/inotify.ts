// inotify: instances, watches and their events are kernel-shim/notify/'s; here only the
// arguments are decoded.
import { inotifyAddWatch, inotifyInit, inotifyRmWatch } from '../kernel-shim/notify/inotify-calls.js';
import { AT_FDCWD, pathAt } from './guest.js';
import type { SyscallDef } from './types.js';

const NOTE = "events come from what guests of this ushim do through its VFS, not from host processes' changes (nor exec's reads of the program); an open file's parent is found by its path at open; no IN_UNMOUNT, no max_user_watches/max_user_instances limits";

export const inotifySyscalls: SyscallDef[] = [
  { name: 'inotify_init', args: [], result: 'dec', support: 'partial', note: NOTE, handler: (_k, t) => inotifyInit(t, 0) },
  { name: 'inotify_init1', args: ['inotify_init_flags'], result: 'dec', support: 'partial', note: NOTE, handler: (_k, t, a) => inotifyInit(t, a.int(0)) },
  {
    name: 'inotify_add_watch', args: ['fd', 'path', 'inotify_mask'], result: 'dec', support: 'partial', note: NOTE,
    handler: (_k, t, a) => inotifyAddWatch(t, a.int(0), pathAt(t, AT_FDCWD, a.arg(1)), a.int(2)),
  },
  { name: 'inotify_rm_watch', args: ['fd', 'int'], result: 'dec', support: 'partial', note: NOTE, handler: (_k, t, a) => inotifyRmWatch(t, a.int(0), a.int(1)) },
];
