// The struct codecs against the C compiler: a generated program prints sizeof/offsetof for every
// field in our offset tables and reads back the bytes our encoders wrote through the real
// struct definitions, so both the layout and each field's width and signedness are checked.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { u64 } from './abi-samples.js';
import { cProgram } from './abi-c-program.js';
import { FS_CHECKS } from './abi-checks-fs.js';
import { SYSTEM_CHECKS } from './abi-checks-system.js';

const CHECKS = [...FS_CHECKS, ...SYSTEM_CHECKS];

describe('abi structs against gcc', function () {
  const results = new Map<string, Map<string, string>>();

  before(function () {
    const dir = mkdtempSync(join(tmpdir(), 'ushim-abi-'));
    try {
      const src = join(dir, 'check.c');
      const exe = join(dir, 'check');
      writeFileSync(src, cProgram(CHECKS));
      execFileSync('gcc', ['-std=gnu11', '-Wall', '-Werror', '-Wno-address-of-packed-member', '-o', exe, src]);
      const out = execFileSync(exe, { encoding: 'utf8' });
      for (const line of out.trimEnd().split('\n')) {
        const [index, what, key, value] = line.split('\t');
        const name = CHECKS[Number(index)].name;
        if (!results.has(name)) results.set(name, new Map());
        results.get(name)!.set(`${what} ${key}`, value);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const c of CHECKS) {
    it(c.name, function () {
      const r = results.get(c.name)!;
      assert.deepEqual(Object.keys(c.members).sort(), Object.keys(c.offsets).sort(), 'every offset has a C member');
      if (c.size !== undefined) assert.equal(c.size, Number(r.get('size -')), 'sizeof');
      for (const [key, off] of Object.entries(c.offsets)) {
        assert.equal(off, Number(r.get(`off ${key}`)), `offsetof ${key}`);
      }
      for (const [expr, expected] of Object.entries(c.values)) {
        const actual = r.get(`val ${expr}`);
        const want = typeof expected === 'string' ? expected : String(u64(expected));
        assert.equal(actual, want, expr);
      }
    });
  }
});
