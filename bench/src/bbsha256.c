/* busybox sha256sum of a generated text file (issue 13: whole programs). Argument: MiB (default 100). */
#include "common.h"

int main(int argc, char **argv)
{
    char *args[] = { (char *)data_file(arg_or(argc, argv, 100)), NULL };
    exec_busybox("sha256sum", args);
    return 127;
}
