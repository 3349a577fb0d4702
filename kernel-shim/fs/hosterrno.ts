// Host errors -> guest errno. Node reports failures as exceptions carrying the libuv code
// name ('ENOENT'); names are mapped through the shim's own errno table so the result does
// not depend on the host's numbering.
import { Errno, errnoName } from '../errno.js';

const byName: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>([
    ['EWOULDBLOCK', Errno.EAGAIN],
    ['ENOTSUP', Errno.EOPNOTSUPP],
  ]);
  for (let n = 1; n < 512; n++) {
    const name = errnoName(n);
    if (name !== `E${n}`) map.set(name, n);
  }
  return map;
})();

/** The negative guest errno for an exception thrown by a Node fs call (-EIO when unknown). */
export function hostErrno(e: unknown): number {
  const code = (e as { code?: unknown } | null)?.code;
  const n = typeof code === 'string' ? byName.get(code) : undefined;
  return n === undefined ? -Errno.EIO : -n;
}
