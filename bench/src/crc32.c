/* CRC-32 (IEEE, reflected, byte-wise table) over generated data.
 * Usage: crc32 [MiB]   (default 64) */
#include <stdio.h>
#include "common.h"

static uint32_t table[256];

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
        table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n--)
        c = table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return ~c;
}

int main(int argc, char **argv)
{
    size_t len;
    uint8_t *data = make_data(arg_or(argc, argv, 64), &len);
    make_table();
    printf("crc32 %08x\n", crc32(data, len));
    return 0;
}
