/*
 * rfork-mem: rfork(RFPROC|RFMEM), the child sharing the parent's memory. The child
 * moves to a stack of its own (the parent's is in use), increments `counter` in
 * .data and exits 0; the parent wait4s and exits with the counter's value: 1, since
 * the child's store landed in the parent's memory. Exits 100 when rfork or wait4
 * fails.
 */
        .include "sys.inc"
        .text
        .globl _start
_start:
        pushl $(RFPROC | RFMEM)
        SYS rfork, 1
        jc failed
        testl %eax, %eax
        jnz parent
        movl $childstack + 256, %esp
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

        .bss
        .align 16
childstack:
        .space 256
