/*
 * bashbomb: the shell's  :(){ :|:& };:  as a program. Each process forks two
 * children, each of which starts over, then exits 0. A process whose fork fails
 * exits 1 at once. Orphans go to init, which reaps them.
 */
        .include "sys.inc"
        .text
        .globl _start
_start:
        SYS fork
        jc failed
        testl %eax, %eax
        jz _start                       /* the child: start over */
        SYS fork
        jc failed
        testl %eax, %eax
        jz _start
        EXIT $0
failed:
        EXIT $1
