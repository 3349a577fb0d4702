import * as assert from 'node:assert/strict';
import { UsageError, parseOptions } from '../../emu/options.js';

describe('--memory', () => {
  it('takes bytes or a K, M or G size, rounded up to whole pages', () => {
    assert.equal(parseOptions(['--memory', '64M', 'prog']).memory, 64 * 2 ** 20);
    assert.equal(parseOptions(['--memory=1g', 'prog']).memory, 2 ** 30);
    assert.equal(parseOptions(['--memory', '1048577', 'prog']).memory, 2 ** 20 + 4096);
    assert.equal(parseOptions(['prog']).memory, undefined);
  });

  it('refuses sizes below 1M, above 4095M, and anything else', () => {
    for (const v of ['512K', '4G', '64MB', '-1M', 'lots']) {
      assert.throws(() => parseOptions(['--memory', v, 'prog']), UsageError, v);
    }
  });
});
