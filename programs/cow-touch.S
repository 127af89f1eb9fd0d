/*
 * cow-touch: fork; the child writes one word on each of the first N pages of a
 * .bss area (N = argv[1], default 16, at most 256) and exits 0; the parent wait4s
 * and exits with the child's exit code (0). Under copy-on-write every one of those
 * writes takes a fault that copies the page; with a copying fork none does.
 * Exits 2 when argv[1] is not a decimal number from 1 to 256, 1 when fork fails.
 */
        .include "sys.inc"
        .equ MAXPAGES, 256
        .text
        .globl _start
_start:
        ARG1_DECIMAL 16, usage
        testl %eax, %eax
        jz usage
        cmpl $MAXPAGES, %eax
        ja usage
        movl %eax, %ebx                 /* %ebx: pages to touch */
        SYS fork
        jc failed
        testl %eax, %eax
        jnz parent
        movl $area, %edi
1:      movl %ebx, (%edi)               /* one word on this page */
        addl $4096, %edi
        decl %ebx
        jnz 1b
        EXIT $0
parent:
        movl %eax, %ebx
        WAIT_EXIT_CODE %ebx
usage:
        EXIT $2
failed:
        EXIT $1

        .bss
        .align 4
wstatus:
        .space 4
        .balign 4096
area:
        .space MAXPAGES * 4096
