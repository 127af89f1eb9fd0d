/*
 * rfork-cfdg: open("/tmp/rfork-cfdg", O_CREAT|O_RDWR, 0644), then
 * rfork(RFPROC|RFCFDG): the child starts with an empty descriptor table, so its
 * write() on the parent's descriptor fails with EBADF. The child exits with the
 * errno (0 if the write worked); the parent wait4s and exits with the child's exit
 * code: 9 (EBADF). Exits 2 when open fails, 1 when rfork fails.
 */
        .include "sys.inc"
        .text
        .globl _start
_start:
        pushl $0644
        pushl $(O_CREAT | O_RDWR)
        pushl $path
        SYS open, 3
        jc openfail
        movl %eax, fd
        pushl $(RFPROC | RFCFDG)
        SYS rfork, 1
        jc failed
        testl %eax, %eax
        jnz parent
        pushl $1                        /* nbyte */
        pushl $byte
        pushl fd
        SYS write, 3
        jc 1f
        xorl %eax, %eax
1:      EXIT %eax
parent:
        movl %eax, %ebx
        WAIT_EXIT_CODE %ebx
openfail:
        EXIT $2
failed:
        EXIT $1

        .data
path:
        .asciz "/tmp/rfork-cfdg"
byte:
        .ascii "x"

        .bss
        .align 4
fd:
        .space 4
wstatus:
        .space 4
