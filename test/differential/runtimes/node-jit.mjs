// A Node.js program for ushim's JIT tests (issue 14): V8 compiles and recompiles code (hot
// loops reach the optimizing tiers), and the script uses zlib, crypto, worker_threads,
// child_process (a static program) and koffi (a native addon that generates call
// trampolines). Everything it prints is the same on every run.
// Usage: node node-jit.mjs REPO_ROOT STATIC_PROGRAM
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as zlib from 'node:zlib';

const [repoRoot, staticProgram] = process.argv.slice(2);

function hot(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) acc = (acc * 31 + (i ^ (i >>> 3))) | 0;
  return acc;
}
console.log('hot loop', hot(3e6));

const text = Buffer.from('ushim '.repeat(20000));
const packed = zlib.gzipSync(text, { level: 9 });
console.log('zlib round trip', zlib.gunzipSync(packed).equals(text), 'inflated', zlib.inflateSync(zlib.deflateSync(text)).length);
console.log('sha256', crypto.createHash('sha256').update(text).digest('hex'));
console.log('hmac', crypto.createHmac('sha1', 'key').update('data').digest('base64'));

const child = spawnSync(staticProgram, ['echo', 'from', 'child'], { encoding: 'utf8' });
console.log('child', child.status, JSON.stringify(child.stdout.split('\n')[0]));

const koffi = createRequire(import.meta.url)(path.join(repoRoot, 'node_modules', 'koffi'));
const libc = koffi.load('libc.so.6');
const strlen = libc.func('size_t strlen(const char *s)');
const qsortCompare = koffi.proto('int compare(const void *a, const void *b)');
const qsort = libc.func('void qsort(_Inout_ void *base, size_t n, size_t size, compare *cmp)');
const numbers = Int32Array.from([5, 3, 9, 1, 7]);
qsort(numbers, numbers.length, 4, (a, b) => koffi.decode(a, 'int') - koffi.decode(b, 'int'));
console.log('koffi strlen', strlen('trampoline'), 'qsort', Array.from(numbers).join(','));
void qsortCompare;

const worker = new Worker(`
  const { parentPort, workerData } = require('node:worker_threads');
  let s = 0;
  for (let i = 0; i < workerData; i++) s = (s + i * i) % 1000003;
  parentPort.postMessage(s);
`, { eval: true, workerData: 2e6 });
worker.on('message', (s) => {
  console.log('worker', s);
  worker.terminate();
});
