// Extended attributes of host files through libc (Node has no xattr API). Every call takes
// the no-follow form: the guest's symlinks were already followed inside the guest root.
import koffi from 'koffi';
import { cPath } from './libc.js';

const libc = koffi.load('libc.so.6');
const calls = {
  lgetxattr: libc.func('int64_t lgetxattr(const char *path, const uint8_t *name, _Out_ uint8_t *value, size_t size)'),
  fgetxattr: libc.func('int64_t fgetxattr(int fd, const uint8_t *name, _Out_ uint8_t *value, size_t size)'),
  lsetxattr: libc.func('int lsetxattr(const char *path, const uint8_t *name, const uint8_t *value, size_t size, int flags)'),
  fsetxattr: libc.func('int fsetxattr(int fd, const uint8_t *name, const uint8_t *value, size_t size, int flags)'),
  llistxattr: libc.func('int64_t llistxattr(const char *path, _Out_ uint8_t *list, size_t size)'),
  flistxattr: libc.func('int64_t flistxattr(int fd, _Out_ uint8_t *list, size_t size)'),
  lremovexattr: libc.func('int lremovexattr(const char *path, const uint8_t *name)'),
  fremovexattr: libc.func('int fremovexattr(int fd, const uint8_t *name)'),
};

/** A host file: its path's bytes (not followed if a symlink) or an open host fd. */
export type HostXattrTarget = { path: Uint8Array } | { fd: number };

/** The call's result, or a negative errno. */
function result(r: number | bigint): number {
  const n = Number(r);
  return n < 0 ? -koffi.errno() : n;
}

/** name is NUL-terminated; value receives at most value.length bytes (0: just the size). */
export function hostGetXattr(target: HostXattrTarget, name: Uint8Array, value: Uint8Array): number {
  return result('path' in target ? calls.lgetxattr(cPath(target.path), name, value, value.length) : calls.fgetxattr(target.fd, name, value, value.length));
}

export function hostSetXattr(target: HostXattrTarget, name: Uint8Array, value: Uint8Array, flags: number): number {
  return result('path' in target ? calls.lsetxattr(cPath(target.path), name, value, value.length, flags) : calls.fsetxattr(target.fd, name, value, value.length, flags));
}

export function hostListXattr(target: HostXattrTarget, list: Uint8Array): number {
  return result('path' in target ? calls.llistxattr(cPath(target.path), list, list.length) : calls.flistxattr(target.fd, list, list.length));
}

export function hostRemoveXattr(target: HostXattrTarget, name: Uint8Array): number {
  return result('path' in target ? calls.lremovexattr(cPath(target.path), name) : calls.fremovexattr(target.fd, name));
}
