// System V IPC permissions and id tables (kernel-shim/ipc/): what the differential fixtures
// cannot show, since they run as root with CAP_IPC_OWNER natively. The rules are ipc/util.c's
// ipcperms, ipcctl_obtain_check and ipcget_public.
import { strict as assert } from 'node:assert';
import { Errno } from '../../kernel-shim/errno.js';
import { IpcIds, ipcGet } from '../../kernel-shim/ipc/ipc-ids.js';
import { CAP_IPC_OWNER, CAP_SYS_ADMIN, IPC_CREAT, IPC_EXCL, IPC_PRIVATE, IpcPerm, ipcOwner, ipcPermits } from '../../kernel-shim/ipc/ipc-perm.js';
import type { Task } from '../../kernel-shim/task.js';

/** A task with these credentials and effective capabilities (only what the checks read). */
function caller(uid: number, gid: number, groups: number[] = [], caps: number[] = []): Task {
  const effective = caps.reduce((set, cap) => set | (1n << BigInt(cap)), 0n);
  return { process: { uid, gid, groups }, caps: { effective, permitted: effective, inheritable: 0n, bounding: effective } } as unknown as Task;
}

const owner = caller(1000, 100);

describe('System V IPC permissions', function () {
  it('ipcperms: the owner, group or other triad, whichever applies first', function () {
    const perm = new IpcPerm(0x1234, 0o640, owner, 0n);
    assert.equal(ipcPermits(owner, perm, 0o600), true);
    assert.equal(ipcPermits(owner, perm, 0o100), false);
    const member = caller(2000, 100);
    assert.equal(ipcPermits(member, perm, 0o444), true);
    assert.equal(ipcPermits(member, perm, 0o222), false);
    assert.equal(ipcPermits(caller(2000, 5, [100]), perm, 0o444), true, 'a supplementary group counts');
    assert.equal(ipcPermits(caller(3000, 300), perm, 0o444), false);
    assert.equal(ipcPermits(caller(3000, 300), perm, 0), true, 'asking for nothing always passes');
    const denied = new IpcPerm(0x1234, 0o000, owner, 0n);
    assert.equal(ipcPermits(owner, denied, 0o400), false, 'the owner triad applies even when it grants less');
    assert.equal(ipcPermits(caller(3000, 300, [], [CAP_IPC_OWNER]), denied, 0o666), true);
  });

  it('IPC_SET and IPC_RMID: owner, creator or CAP_SYS_ADMIN', function () {
    const perm = new IpcPerm(0, 0o600, owner, 0n);
    perm.uid = 4000;
    assert.equal(ipcOwner(owner, perm), true, 'the creator');
    assert.equal(ipcOwner(caller(4000, 1), perm), true, 'the owner');
    assert.equal(ipcOwner(caller(5000, 100), perm), false);
    assert.equal(ipcOwner(caller(5000, 100, [], [CAP_SYS_ADMIN]), perm), true);
  });

  it('ipcget: ENOENT, EEXIST, the object\'s own checks before EACCES', function () {
    const ids = new IpcIds<{ perm: IpcPerm }>();
    const make = (key: number, mode: number) => () => ({ perm: new IpcPerm(key, mode, owner, 0n) });
    assert.equal(ipcGet(owner, ids, 77, 0o600, make(77, 0o600), () => 0), -Errno.ENOENT);
    const id = ipcGet(owner, ids, 77, IPC_CREAT | 0o600, make(77, 0o600), () => 0);
    assert.equal(id, 0);
    assert.equal(ipcGet(owner, ids, 77, IPC_CREAT | IPC_EXCL | 0o600, make(77, 0o600), () => 0), -Errno.EEXIST);
    assert.equal(ipcGet(owner, ids, 77, 0o600, make(77, 0o600), () => 0), id);
    const stranger = caller(3000, 300);
    assert.equal(ipcGet(stranger, ids, 77, 0o400, make(77, 0), () => 0), -Errno.EACCES);
    assert.equal(ipcGet(stranger, ids, 77, 0, make(77, 0), () => 0), id, 'no permission asked for: found');
    assert.equal(ipcGet(stranger, ids, 77, 0o400, make(77, 0), () => -Errno.EINVAL), -Errno.EINVAL, 'size checks come first');
    assert.equal(ipcGet(owner, ids, IPC_PRIVATE, 0, make(IPC_PRIVATE, 0o600), () => 0), 32768 + 1, 'IPC_PRIVATE always creates: sequence 1, index 1 (the lowest free)');
  });

  it('ids: a removed object\'s id stays invalid when its index is reused', function () {
    const ids = new IpcIds<{ perm: IpcPerm }>();
    const a = { perm: new IpcPerm(0, 0o600, owner, 0n) };
    const first = ids.add(a);
    ids.remove(a);
    const b = { perm: new IpcPerm(0, 0o600, owner, 0n) };
    const second = ids.add(b);
    assert.equal(second % 32768, first % 32768);
    assert.notEqual(second, first);
    assert.equal(ids.get(first), undefined);
    assert.equal(ids.get(second), b);
    assert.equal(ids.get(-1), undefined);
    assert.equal(ids.at(0), b);
  });
});
