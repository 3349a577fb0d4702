// Extended attributes: getxattr, setxattr, listxattr, removexattr in their path, l- (do not
// follow a final symlink) and f- (open file) forms. Linux reads a name and value before the
// path only for setxattr; the other path forms look the path up first.
import { Errno } from '../kernel-shim/errno.js';
import type { Task } from '../kernel-shim/task.js';
import { userPrefix } from '../kernel-shim/mm/uaccess.js';
import {
  XATTR_CREATE, XATTR_REPLACE, XATTR_SIZE_MAX, type XattrTarget, getXattr, listXattr, removeXattr, setXattr,
  xattrTargetOfFile, xattrTargetOfPath,
} from '../kernel-shim/fs/xattr.js';
import { AT_FDCWD, fileOf, pathAt } from './guest.js';
import type { ArgSpec } from './argkinds.js';
import type { SyscallDef, SyscallFrame } from './types.js';

/** XATTR_NAME_MAX + 1: a name must end within this many bytes. */
const NAME_LIMIT = 256;

/** The attribute name, NUL-terminated: EFAULT, or ERANGE when empty or longer than 255 bytes. */
function readName(t: Task, addr: number): Uint8Array | number {
  const bytes = t.process.mm.readCString(addr, NAME_LIMIT);
  if (bytes === null) return userPrefix(t.process.mm, addr, NAME_LIMIT, false) < NAME_LIMIT ? -Errno.EFAULT : -Errno.ERANGE;
  if (bytes.length === 0) return -Errno.ERANGE;
  const name = new Uint8Array(bytes.length + 1);
  name.set(bytes);
  return name;
}

type Form = 'path' | 'link' | 'fd';

function targetOf(t: Task, form: Form, arg: number): XattrTarget | number {
  if (form === 'fd') {
    const file = fileOf(t, arg | 0);
    return typeof file === 'number' ? file : xattrTargetOfFile(t.process.vfs, file);
  }
  const at = pathAt(t, AT_FDCWD, arg);
  if (typeof at === 'number') return at;
  if (at.path === '') return -Errno.ENOENT;
  const r = t.process.vfs.resolve(at.path, form === 'path', at.dir);
  return typeof r === 'number' ? r : xattrTargetOfPath(t.process.vfs, r, form === 'path');
}

/** Copies a value or name list out: its length, or EFAULT. size 0 asks for the length only. */
function copyOut(t: Task, result: Uint8Array | number, addr: number): number {
  if (typeof result === 'number') return result;
  return t.process.mm.write(addr, result) ? result.length : -Errno.EFAULT;
}

function getxattr(t: Task, form: Form, a: SyscallFrame): number {
  const target = targetOf(t, form, a.arg(0));
  if (typeof target === 'number') return target;
  const name = readName(t, a.arg(1));
  if (typeof name === 'number') return name;
  return copyOut(t, getXattr(target, name, a.arg(3)), a.arg(2));
}

function setxattr(t: Task, form: Form, a: SyscallFrame): number {
  const flags = a.int(4);
  if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return -Errno.EINVAL;
  const fileTarget = form === 'fd' ? targetOf(t, form, a.arg(0)) : undefined;
  if (typeof fileTarget === 'number') return fileTarget;
  const name = readName(t, a.arg(1));
  if (typeof name === 'number') return name;
  const size = a.arg(3);
  if (size > XATTR_SIZE_MAX) return -Errno.E2BIG;
  const value = size === 0 ? new Uint8Array() : t.process.mm.read(a.arg(2), size);
  if (value === null) return -Errno.EFAULT;
  const target = fileTarget ?? targetOf(t, form, a.arg(0));
  return typeof target === 'number' ? target : setXattr(target, name, value, flags);
}

function listxattr(t: Task, form: Form, a: SyscallFrame): number {
  const target = targetOf(t, form, a.arg(0));
  if (typeof target === 'number') return target;
  return copyOut(t, listXattr(target, a.arg(2)), a.arg(1));
}

function removexattr(t: Task, form: Form, a: SyscallFrame): number {
  const target = targetOf(t, form, a.arg(0));
  if (typeof target === 'number') return target;
  const name = readName(t, a.arg(1));
  return typeof name === 'number' ? name : removeXattr(target, name);
}

const NOTE = "host files through the host's xattrs; ushim's own files (procfs, devices, pipes) have none: EOPNOTSUPP";
const FORMS: readonly [Form, string][] = [['path', ''], ['link', 'l'], ['fd', 'f']];

/** The file argument as strace prints it: a path, or the f- forms' descriptor. */
const fileKind = (form: Form): ArgSpec => (form === 'fd' ? 'fd' : 'path');

export const xattrSyscalls: SyscallDef[] = FORMS.flatMap(([form, prefix]) => [
  {
    name: `${prefix}getxattr`, args: [fileKind(form), 'string', 'buf_out', 'uint'], result: 'dec', support: 'partial', note: NOTE,
    handler: (_k, t, a) => getxattr(t, form, a),
  },
  {
    name: `${prefix}setxattr`, args: [fileKind(form), 'string', 'buf_in', 'uint', 'xattr_flags'], result: 'dec', support: 'partial', note: NOTE,
    handler: (_k, t, a) => setxattr(t, form, a),
  },
  { name: `${prefix}listxattr`, args: [fileKind(form), 'buf_out', 'uint'], result: 'dec', support: 'partial', note: NOTE, handler: (_k, t, a) => listxattr(t, form, a) },
  { name: `${prefix}removexattr`, args: [fileKind(form), 'string'], result: 'dec', support: 'partial', note: NOTE, handler: (_k, t, a) => removexattr(t, form, a) },
]);
