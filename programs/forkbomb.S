/*
 * forkbomb: for (;;) fork();
 * Parent and child alike go on forking, failed or not, until something kills them.
 * The kernel's limits (kern.maxproc, RLIMIT_NPROC) are what stops the growth.
 */
        .include "sys.inc"
        .text
        .globl _start
_start:
        SYS fork
        jmp _start
