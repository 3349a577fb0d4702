/* Minimal static program: measures start-up and exit cost. */
#include <stdio.h>

int main(void)
{
    puts("hello, world");
    return 0;
}
