// The Unicorn binding: loads libunicorn through koffi and declares the C functions ushim uses.
// Only cpu/ imports this module.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi, { type LibraryHandle } from 'koffi';
import { uc_control_type, uc_err } from './unicorn-consts.js';

export * from './unicorn-consts.js';

/** The package root: the nearest directory above this module with a package.json (works bundled too). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const repoRoot = packageRoot();

export class UnicornUnavailable extends Error {}

export function libraryPath(): string {
  const fromEnv = process.env.USHIM_LIBUNICORN;
  if (fromEnv) return fromEnv;
  const local = join(repoRoot, 'vendor', 'unicorn', 'lib', 'libunicorn.so.2');
  if (existsSync(local)) return local;
  return 'libunicorn.so.2';
}

function load(): LibraryHandle {
  const path = libraryPath();
  try {
    return koffi.load(path);
  } catch (e) {
    throw new UnicornUnavailable(
      `cannot load Unicorn from ${path} (${(e as Error).message.split('\n')[0]}); run 'npm run setup' to fetch Unicorn 2.1.4, or set USHIM_LIBUNICORN`,
    );
  }
}

const lib = load();

export const TlbFillCallback = koffi.proto('bool uc_cb_tlbevent_t(void *uc, uint64_t vaddr, int type, void *result, void *user)');
export const SyscallCallback = koffi.proto('void uc_cb_insn_syscall_t(void *uc, void *user)');
export const InterruptCallback = koffi.proto('void uc_cb_hookintr_t(void *uc, uint32_t intno, void *user)');
export const CodeCallback = koffi.proto('void uc_cb_hookcode_t(void *uc, uint64_t address, uint32_t size, void *user)');

export const uc = {
  version: lib.func('unsigned int uc_version(_Out_ unsigned int *major, _Out_ unsigned int *minor)'),
  open: lib.func('int uc_open(int arch, int mode, _Out_ void **uc)'),
  close: lib.func('int uc_close(void *uc)'),
  strerror: lib.func('const char *uc_strerror(int code)'),
  ctl: lib.func('int uc_ctl(void *uc, int control, ...)'),
  regRead: lib.func('int uc_reg_read(void *uc, int regid, _Out_ uint64_t *value)'),
  regWrite: lib.func('int uc_reg_write(void *uc, int regid, const uint64_t *value)'),
  regReadRaw: lib.func('int uc_reg_read(void *uc, int regid, void *value)'),
  regWriteRaw: lib.func('int uc_reg_write(void *uc, int regid, const void *value)'),
  regReadBatch: lib.func('int uc_reg_read_batch(void *uc, void *regs, void *vals, int count)'),
  regWriteBatch: lib.func('int uc_reg_write_batch(void *uc, void *regs, void *vals, int count)'),
  memMapPtr: lib.func('int uc_mem_map_ptr(void *uc, uint64_t address, size_t size, uint32_t perms, void *ptr)'),
  memMap: lib.func('int uc_mem_map(void *uc, uint64_t address, size_t size, uint32_t perms)'),
  memUnmap: lib.func('int uc_mem_unmap(void *uc, uint64_t address, size_t size)'),
  memWrite: lib.func('int uc_mem_write(void *uc, uint64_t address, const void *bytes, size_t size)'),
  emuStart: lib.func('int uc_emu_start(void *uc, uint64_t begin, uint64_t until, uint64_t timeout, size_t count)'),
  emuStop: lib.func('int uc_emu_stop(void *uc)'),
  hookAdd: lib.func('int uc_hook_add(void *uc, _Out_ uint64_t *hh, int type, void *callback, void *user, uint64_t begin, uint64_t end, ...)'),
  hookDel: lib.func('int uc_hook_del(void *uc, uint64_t hh)'),
  contextAlloc: lib.func('int uc_context_alloc(void *uc, _Out_ void **context)'),
  contextSave: lib.func('int uc_context_save(void *uc, void *context)'),
  contextRestore: lib.func('int uc_context_restore(void *uc, void *context)'),
  contextFree: lib.func('int uc_context_free(void *context)'),
  contextRegWrite: lib.func('int uc_context_reg_write(void *context, int regid, const uint64_t *value)'),
  contextRegRead: lib.func('int uc_context_reg_read(void *context, int regid, _Out_ uint64_t *value)'),
};

/** UC_CTL(type, nr, rw): the control code for uc_ctl. */
export function ctlCode(type: number, args: number, write: boolean, read = false): number {
  return type | (args << 26) | ((write ? 1 : 0) << 30) | ((read ? 1 : 0) << 31);
}

export const CTL_WRITE_CPU_MODEL = ctlCode(uc_control_type.CTL_CPU_MODEL, 1, true);
export const CTL_WRITE_TCG_BUFFER_SIZE = ctlCode(uc_control_type.CTL_TCG_BUFFER_SIZE, 1, true);
export const CTL_WRITE_TLB_TYPE = ctlCode(uc_control_type.CTL_TLB_TYPE, 1, true);
export const CTL_WRITE_TLB_FLUSH = ctlCode(uc_control_type.CTL_TLB_FLUSH, 0, true);
export const CTL_WRITE_TB_FLUSH = ctlCode(uc_control_type.CTL_TB_FLUSH, 0, true);
export const CTL_WRITE_TB_REMOVE_CACHE = ctlCode(uc_control_type.CTL_TB_REMOVE_CACHE, 2, true);
export const CTL_WRITE_USE_EXITS = ctlCode(uc_control_type.CTL_UC_USE_EXITS, 1, true);

export class UnicornError extends Error {
  constructor(
    readonly code: number,
    what: string,
  ) {
    super(`${what}: ${uc.strerror(code)} (UC_ERR ${code})`);
  }
}

/** Throws UnicornError unless code is UC_ERR_OK. */
export function check(code: number, what: string): void {
  if (code !== uc_err.ERR_OK) throw new UnicornError(code, what);
}

export { koffi };
