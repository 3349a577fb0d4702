/* Shared helpers for the benchmark programs. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>

/* First argument as a size/count, so quick mode can shrink the work. */
static inline unsigned long arg_or(int argc, char **argv, unsigned long dflt)
{
    return argc > 1 ? strtoul(argv[1], NULL, 0) : dflt;
}

/* execv of busybox as applet `argv0`. With BENCH_EXEC_WRAPPER set (the runner sets it to
 * qemu-x86_64 for the qemu column), the wrapper runs busybox, as binfmt_misc would make every
 * exec start a new qemu: qemu-user alone runs exec'd programs natively. */
static inline void exec_busybox(const char *argv0, char *const args[])
{
    char *argv[8];
    int n = 0;
    const char *wrapper = getenv("BENCH_EXEC_WRAPPER");
    if (wrapper != NULL && *wrapper != '\0') {
        argv[n++] = (char *)wrapper;
        argv[n++] = "-0";
        argv[n++] = (char *)argv0;
        argv[n++] = "/bin/busybox";
    } else {
        argv[n++] = (char *)argv0;
    }
    for (int i = 0; args[i] != NULL && n < 7; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    if (wrapper != NULL && *wrapper != '\0')
        execvp(wrapper, argv);
    else
        execv("/bin/busybox", argv);
}

/* Deterministic pseudo-random bytes (xorshift64), so native and emulated
 * runs hash identical input without reading a file. */
static inline void fill_data(uint8_t *buf, size_t n)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (uint8_t)(x >> 32);
    }
}

/* Allocate and fill `mib` MiB of generated data; exits on failure. */
static inline uint8_t *make_data(unsigned long mib, size_t *len)
{
    *len = mib << 20;
    uint8_t *buf = malloc(*len ? *len : 1);
    if (!buf)
        exit(1);
    fill_data(buf, *len);
    return buf;
}

/* A file of `mib` MiB of number lines (text that compresses as real data does), made once in
 * /tmp by the first (native) run and reused, so that every runner reads the same bytes and
 * none pays for making them. Returns its path. */
static inline const char *data_file(unsigned long mib)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/ushim-bench-%lumib.txt", mib);
    if (access(path, R_OK) == 0)
        return path;
    char tmp[80];
    snprintf(tmp, sizeof tmp, "%s.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        exit(1);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (unsigned long written = 0; written < mib << 20;) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        written += (unsigned long)fprintf(f, "%lu %lu\n", (unsigned long)(x % 1000003), (unsigned long)(x >> 40));
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        exit(1);
    return path;
}

#endif
