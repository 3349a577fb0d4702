/* Shared helpers for the benchmark programs. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <stdlib.h>

/* First argument as a size/count, so quick mode can shrink the work. */
static inline unsigned long arg_or(int argc, char **argv, unsigned long dflt)
{
    return argc > 1 ? strtoul(argv[1], NULL, 0) : dflt;
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

#endif
