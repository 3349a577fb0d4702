// A fixed set of registers read or written with one FFI call, through native slots that JS
// sees as a DataView (one uc_reg_read_batch per syscall instead of one call per register).
import type { GeneralRegister, RegisterSet } from '../kernel-shim/cpu-port.js';
import { check, koffi, uc } from './unicorn.js';
import { registerId } from './registers.js';

/** Registers `names` of one engine (`engine` is its uc handle). */
export class RegisterBatch implements RegisterSet {
  /** Native int[] of register ids and void*[] of slot addresses, passed as raw pointers:
   * koffi marshals TypedArray arguments on every call, which doubled the syscall cost. */
  private readonly ids: bigint;
  private readonly pointers: bigint;
  private readonly count: number;
  /** Slot i holds register names[i], little-endian u64 at offset 8 * i. */
  readonly slots: DataView;
  private readonly index = new Map<GeneralRegister, number>();
  private readonly keepAlive: unknown[];

  constructor(
    private readonly engine: bigint,
    readonly names: readonly GeneralRegister[],
  ) {
    this.count = names.length;
    const ids = koffi.alloc('int32_t', names.length);
    new Int32Array(koffi.view(ids, 4 * names.length)).set(names.map(registerId));
    this.ids = koffi.address(ids);
    const storage = koffi.alloc('uint64_t', names.length);
    const base = koffi.address(storage);
    const pointers = koffi.alloc('uint64_t', names.length);
    new BigUint64Array(koffi.view(pointers, 8 * names.length)).set(names.map((_, i) => base + BigInt(8 * i)));
    this.pointers = koffi.address(pointers);
    this.slots = new DataView(koffi.view(storage, 8 * names.length));
    this.keepAlive = [ids, storage, pointers];
    names.forEach((n, i) => this.index.set(n, i));
  }

  read(): void {
    check(uc.regReadBatch(this.engine, this.ids, this.pointers, this.count), 'uc_reg_read_batch');
  }

  write(): void {
    check(uc.regWriteBatch(this.engine, this.ids, this.pointers, this.count), 'uc_reg_write_batch');
  }

  /** Low 53 bits are exact: pointers and sizes below 2^53 round-trip as Numbers. */
  number(i: number): number {
    return this.slots.getUint32(8 * i + 4, true) * 4294967296 + this.slots.getUint32(8 * i, true);
  }

  bigint(i: number): bigint {
    return this.slots.getBigUint64(8 * i, true);
  }

  /** Stores an integer in -2^53..2^64 as its 64-bit two's complement. */
  setNumber(i: number, value: number): void {
    this.slots.setUint32(8 * i, value >>> 0, true);
    this.slots.setUint32(8 * i + 4, Math.floor(value / 4294967296) >>> 0, true);
  }

  setBigint(i: number, value: bigint): void {
    this.slots.setBigUint64(8 * i, BigInt.asUintN(64, value), true);
  }

  get(name: GeneralRegister): bigint {
    return this.bigint(this.index.get(name)!);
  }

  set(name: GeneralRegister, value: bigint): void {
    this.setBigint(this.index.get(name)!, value);
  }
}
