import * as assert from 'node:assert/strict';
import { UsageError, parseOptions } from '../../emu/options.js';

describe('--memory', () => {
  it('takes bytes or a K, M or G size, rounded up to whole pages', () => {
    assert.equal(parseOptions(['--memory', '64M', 'prog']).memory, 64 * 2 ** 20);
    assert.equal(parseOptions(['--memory=1g', 'prog']).memory, 2 ** 30);
    assert.equal(parseOptions(['--memory', '1048577', 'prog']).memory, 2 ** 20 + 4096);
    assert.equal(parseOptions(['prog']).memory, undefined);
  });

  it('takes sizes above 4 GiB', () => {
    assert.equal(parseOptions(['--memory', '6G', 'prog']).memory, 6 * 2 ** 30);
    assert.equal(parseOptions(['--memory', '512G', 'prog']).memory, 512 * 2 ** 30);
  });

  it('refuses sizes below 1M, above 512G, and anything else', () => {
    for (const v of ['512K', '513G', '64MB', '-1M', 'lots']) {
      assert.throws(() => parseOptions(['--memory', v, 'prog']), UsageError, v);
    }
  });
});
