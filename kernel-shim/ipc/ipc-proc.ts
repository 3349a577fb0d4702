// /proc/sysvipc/{shm,sem,msg}: one line per object of the guest's IPC namespace, in the
// columns and widths of Linux's sysvipc_*_proc_show.
import type { Kernel } from '../kernel.js';
import type { IpcPerm } from './ipc-perm.js';
import { PAGE_SIZE } from '../mm/constants.js';
import { reapSegments } from './shm.js';

export type SysvipcKind = 'shm' | 'sem' | 'msg';

const HEADERS: Record<SysvipcKind, string> = {
  shm: '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n',
  sem: '       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n',
  msg: '       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n',
};

const r = (width: number, v: number | bigint): string => String(v).padStart(width);

/** key, id and mode: "%10d %10d  %4o". */
function head(p: IpcPerm): string {
  return `${r(10, p.key)} ${r(10, p.id)}  ${p.mode.toString(8).padStart(4)}`;
}

/** uid, gid, cuid, cgid: "%5u %5u %5u %5u". */
function owners(p: IpcPerm): string {
  return [p.uid, p.gid, p.cuid, p.cgid].map((v) => r(5, v)).join(' ');
}

function lines(k: Kernel, kind: SysvipcKind): string[] {
  switch (kind) {
    case 'shm':
      reapSegments(k);
      return [...k.ipc.shm.values()].map((s) => `${head(s.perm)} ${r(21, s.size)} ${r(5, s.cpid)} ${r(5, s.lpid)}  ${r(5, s.nattch)} ${owners(s.perm)} ` +
        `${r(10, s.atime)} ${r(10, s.dtime)} ${r(10, s.perm.ctime)} ${r(21, s.object.residentPages * PAGE_SIZE)} ${r(21, 0)}`);
    case 'sem':
      return [...k.ipc.sem.values()].map((s) => `${head(s.perm)} ${r(10, s.nsems)} ${owners(s.perm)} ${r(10, s.otime)} ${r(10, s.perm.ctime)}`);
    case 'msg':
      return [...k.ipc.msg.values()].map((q) => `${head(q.perm)}  ${r(10, q.cbytes)} ${r(10, q.messages.length)} ${r(5, q.lspid)} ${r(5, q.lrpid)} ` +
        `${owners(q.perm)} ${r(10, q.stime)} ${r(10, q.rtime)} ${r(10, q.perm.ctime)}`);
  }
}

export function sysvipcTable(k: Kernel, kind: SysvipcKind): string {
  return HEADERS[kind] + lines(k, kind).map((l) => `${l}\n`).join('');
}
