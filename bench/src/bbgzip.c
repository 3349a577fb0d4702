/* busybox gzip -c of a generated text file to stdout (issue 13: whole programs). Argument: MiB (default 50). */
#include "common.h"

int main(int argc, char **argv)
{
    char *args[] = { "-c", (char *)data_file(arg_or(argc, argv, 50)), NULL };
    exec_busybox("gzip", args);
    return 127;
}
