/*
 * fork-mem: rfork-mem with a plain fork. The child increments its own copy of
 * `counter` and exits 0; the parent wait4s and exits with its counter's value: 0,
 * since the address spaces are separate. Exits 100 when fork or wait4 fails.
 */
        .include "sys.inc"
        .text
        .globl _start
_start:
        SYS fork
        jc failed
        testl %eax, %eax
        jnz parent
        incl counter
        EXIT $0
parent:
        pushl $0                        /* rusage */
        pushl $0                        /* options */
        pushl $0                        /* status */
        pushl %eax
        SYS wait4, 4
        jc failed
        EXIT counter
failed:
        EXIT $100

        .data
        .align 4
counter:
        .long 0
