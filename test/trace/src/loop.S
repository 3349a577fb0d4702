/* The --trace tests' guest (test/trace/trace.test.ts), built with gcc -nostdlib -static:
 * write "hi\n", call work() three times, exit_group(0). */
    .intel_syntax noprefix
    .section .rodata
msg:
    .ascii "hi\n"

    .text
    .globl _start
    .type _start, @function
_start:
    mov eax, 1
    mov edi, 1
    lea rsi, [rip + msg]
    mov edx, 3
    syscall
    mov ecx, 3
1:
    call work
    dec ecx
    jnz 1b
    mov eax, 231
    xor edi, edi
    syscall
    .size _start, . - _start

    .globl work
    .type work, @function
work:
    add r8, 2
    ret
    .size work, . - work
