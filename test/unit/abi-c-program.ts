// The C side of the struct codec checks: one program that prints sizeof, offsetof and the value
// each field of our encoders' bytes has when read through the real struct definitions.

/** How a C value compares: integers through (unsigned long long), strings with %s. */
type Expected = bigint | number | string;

export interface StructCheck {
  readonly name: string;
  readonly cType: string;
  /** Omitted for structs ending in a flexible array. */
  readonly size?: number;
  readonly offsets: Readonly<Record<string, number>>;
  /** Our offset key -> the C member designator it must match. */
  readonly members: Readonly<Record<string, string>>;
  readonly sample: Uint8Array;
  /** C expression on `p` (a pointer to the sample) -> the value it must have. */
  readonly values: Readonly<Record<string, Expected>>;
}

const INCLUDES = [
  'stdio.h',
  'stddef.h',
  'asm/stat.h',
  'linux/stat.h',
  'linux/time_types.h',
  'linux/utime.h',
  'linux/times.h',
  'asm/statfs.h',
  'linux/utsname.h',
  'linux/resource.h',
  'linux/sysinfo.h',
  'linux/uio.h',
  'linux/poll.h',
  'asm/termios.h',
  'asm/signal.h',
  'asm/siginfo.h',
  'linux/futex.h',
  'linux/sched.h',
];

// The kernel defines the directory records in fs/readdir.c, not in a UAPI header.
const PRELUDE = `
struct linux_dirent64 { __u64 d_ino; __s64 d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; };
struct linux_dirent { unsigned long d_ino; unsigned long d_off; unsigned short d_reclen; char d_name[]; };
`;

function cString(s: string): string {
  return JSON.stringify(s);
}

/** One C program checking every struct; it prints "<check>\t<what>\t<key>\t<value>" lines. */
export function cProgram(checks: readonly StructCheck[]): string {
  const lines = [...INCLUDES.map((h) => `#include <${h}>`), PRELUDE];
  checks.forEach((c, i) => {
    lines.push(`static const unsigned char sample${i}[] __attribute__((aligned(16))) = {${[...c.sample].join(',')}};`);
  });
  lines.push('int main(void) {');
  checks.forEach((c, i) => {
    const tag = cString(String(i));
    lines.push('  {');
    lines.push(`    const ${c.cType} *p = (const void *)sample${i};`, '    (void)p;');
    lines.push(`    printf("%s\\tsize\\t-\\t%zu\\n", ${tag}, sizeof(${c.cType}));`);
    for (const [key, member] of Object.entries(c.members)) {
      lines.push(`    printf("%s\\toff\\t%s\\t%zu\\n", ${tag}, ${cString(key)}, offsetof(${c.cType}, ${member}));`);
    }
    for (const [expr, expected] of Object.entries(c.values)) {
      const value = typeof expected === 'string' ? `${expr}` : `(unsigned long long)(${expr})`;
      const format = typeof expected === 'string' ? '%s' : '%llu';
      lines.push(`    printf("%s\\tval\\t%s\\t${format}\\n", ${tag}, ${cString(expr)}, ${value});`);
    }
    lines.push('  }');
  });
  lines.push('  return 0;', '}', '');
  return lines.join('\n');
}
