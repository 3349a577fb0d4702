/* The project's library: what its test programs exercise. */
#ifndef GREET_H
#define GREET_H
#include <stddef.h>

/* Writes "hello, NAME" into buf (at most size bytes, terminated); returns its length. */
int greet(char *buf, size_t size, const char *name);

#endif
