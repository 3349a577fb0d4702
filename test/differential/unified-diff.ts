// The differential tests' failure messages show where two outputs part: a unified line diff.

/** A line diff in unified style (LCS based; fine for fixture-sized output). */
export function unifiedDiff(a: string, b: string, nameA = 'native', nameB = 'ushim', context = 3): string {
  const A = a.split('\n');
  const B = b.split('\n');
  // trim the common prefix/suffix so the quadratic part stays small
  let pre = 0;
  while (pre < A.length && pre < B.length && A[pre] === B[pre]) pre++;
  let suf = 0;
  while (suf < A.length - pre && suf < B.length - pre && A[A.length - 1 - suf] === B[B.length - 1 - suf]) suf++;
  const a1 = A.slice(pre, A.length - suf);
  const b1 = B.slice(pre, B.length - suf);
  type Op = { t: ' ' | '-' | '+'; s: string; ai: number; bi: number };
  const ops: Op[] = [];
  for (let i = 0; i < pre; i++) ops.push({ t: ' ', s: A[i], ai: i, bi: i });
  if (a1.length * b1.length > 4_000_000) {
    // too big for LCS: show the changed middle wholesale
    a1.forEach((s, i) => ops.push({ t: '-', s, ai: pre + i, bi: pre }));
    b1.forEach((s, i) => ops.push({ t: '+', s, ai: pre + a1.length, bi: pre + i }));
  } else {
    const n = a1.length;
    const m = b1.length;
    const L: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        L[i][j] = a1[i] === b1[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a1[i] === b1[j]) {
        ops.push({ t: ' ', s: a1[i], ai: pre + i, bi: pre + j });
        i++;
        j++;
      } else if (i < n && (j === m || L[i + 1][j] >= L[i][j + 1])) {
        ops.push({ t: '-', s: a1[i], ai: pre + i, bi: pre + j });
        i++;
      } else {
        ops.push({ t: '+', s: b1[j], ai: pre + i, bi: pre + j });
        j++;
      }
    }
  }
  for (let k = 0; k < suf; k++) {
    const ai = A.length - suf + k;
    const bi = B.length - suf + k;
    ops.push({ t: ' ', s: A[ai], ai, bi });
  }
  // group changes into hunks with context
  const out: string[] = [`--- ${nameA}`, `+++ ${nameB}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].t === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // extend while further changes are within 2*context lines
    for (;;) {
      while (end < ops.length && ops[end].t !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].t === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const aLen = hunk.filter((o) => o.t !== '+').length;
    const bLen = hunk.filter((o) => o.t !== '-').length;
    out.push(`@@ -${hunk[0].ai + 1},${aLen} +${hunk[0].bi + 1},${bLen} @@`);
    for (const o of hunk) out.push(`${o.t}${o.s}`);
    k = stop;
  }
  return out.join('\n');
}
