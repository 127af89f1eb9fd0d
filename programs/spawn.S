/*
 * spawn: the process-creation benchmark of lmbench (lat_proc fork) and UnixBench
 * (spawn.c):  loop { pid = fork(); if child: exit(0); wait4(pid, &status, 0, 0) }.
 * Runs forever, or argv[1] loops when argv[1] is a decimal number, then exits 0.
 * Exits 1 when a fork or a wait4 fails or a child's status is not 0 (UnixBench
 * aborts there too), 2 when argv[1] is not a decimal number.
 */
        .include "sys.inc"
        .text
        .globl _start
_start:
        xorl %edi, %edi                 /* %edi: 1 when the loop count is bounded */
        cmpl $2, (%esp)
        jl 1f
        incl %edi
1:      ARG1_DECIMAL 0, usage
        movl %eax, %ebx                 /* %ebx: loops left (when bounded) */
loop:
        testl %edi, %edi
        jz 2f
        testl %ebx, %ebx
        jz done
        decl %ebx
2:      SYS fork
        jc abort
        testl %eax, %eax
        jnz parent
        EXIT $0                         /* the child */
parent:
        pushl $0                        /* rusage */
        pushl $0                        /* options */
        pushl $wstatus
        pushl %eax                      /* the child's pid */
        SYS wait4, 4
        jc abort
        cmpl $0, wstatus
        jne abort
        jmp loop
done:
        EXIT $0
abort:
        EXIT $1
usage:
        EXIT $2

        .bss
        .align 4
wstatus:
        .space 4
