import assert from 'node:assert/strict';
import { LoadError, parseShebang } from '../../loader/index.js';

const parse = (text: string) => parseShebang(new TextEncoder().encode(text));

function assertNoexec(text: string, message: RegExp): void {
  assert.throws(() => parse(text), (e: unknown) => e instanceof LoadError && e.errno === 8 && message.test(e.message));
}

describe('loader: parseShebang', () => {
  it('parses a plain interpreter', () => {
    assert.deepEqual(parse('#!/bin/sh\necho hi\n'), { interpreter: '/bin/sh' });
  });

  it('skips blanks and keeps the rest as one trimmed argument', () => {
    assert.deepEqual(parse('#! /usr/bin/env  python3 -u \nprint(1)\n'), { interpreter: '/usr/bin/env', arg: 'python3 -u' });
    assert.deepEqual(parse('#!\t/bin/bash\t-e\t\n'), { interpreter: '/bin/bash', arg: '-e' });
  });

  it('reads only the first line', () => {
    assert.deepEqual(parse('#!/bin/sh\n#!/bin/bash -x\n'), { interpreter: '/bin/sh' });
  });

  it('keeps a carriage return, as Linux does', () => {
    assert.deepEqual(parse('#!/bin/sh\r\n'), { interpreter: '/bin/sh\r' });
  });

  it('accepts a short file without a newline', () => {
    assert.deepEqual(parse('#!/bin/sh'), { interpreter: '/bin/sh' });
    assert.deepEqual(parse('#!/bin/awk -f'), { interpreter: '/bin/awk', arg: '-f' });
  });

  it('truncates an over-long argument to the 256-byte buffer', () => {
    const result = parse(`#!/bin/sh ${'x'.repeat(300)}\n`);
    assert.equal(result?.interpreter, '/bin/sh');
    assert.equal(result?.arg, 'x'.repeat(255 - '#!/bin/sh '.length));
  });

  it('refuses an interpreter path cut off by the 256-byte buffer', () => {
    assertNoexec(`#!/${'a'.repeat(300)}\n`, /longer than 256 bytes/);
    assertNoexec(`#!${' '.repeat(300)}/bin/sh\n`, /longer than 256 bytes/);
  });

  it('refuses a line without an interpreter', () => {
    assertNoexec('#!\n', /names no interpreter/);
    assertNoexec('#!  \t \nfoo', /names no interpreter/);
  });

  it('returns null for anything that is not a script', () => {
    assert.equal(parse(''), null);
    assert.equal(parse('#'), null);
    assert.equal(parse('# !/bin/sh\n'), null);
    assert.equal(parse('echo hi\n'), null);
    assert.equal(parseShebang(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1)), null);
  });
});
