/*
 * sig-wait: catches SIGALRM (the struct sigaction is in .data: a test sets SA_RESTART
 * or not), forks a child that sleeps 200 ms (nanosleep) and exits 7, arms
 * setitimer(ITIMER_REAL) for 50 ms and waits for the child with wait4. Then it logs
 * wait4's %eax and carry, the status, and how many times the handler ran, and sleeps.
 *
 * .data layout: 0 count (handler runs), 4 waitret, 8 waitcf, 12 status, 16 act (24),
 * 40 itv (struct itimerval: interval 0, value 0.05 s), 56 ts (200 ms).
 */
        .include "sys.inc"
        .include "sigsys.inc"
        .text
        .globl _start
_start:
        pushl $0
        pushl $act
        pushl $SIGALRM
        SYS sigaction, 3
        SYS fork
        testl %eax, %eax
        jnz parent
        pushl $0
        pushl $ts
        SYS nanosleep, 2
        EXIT $7
parent:
        movl %eax, %ebx
        pushl $0
        pushl $itv
        pushl $0                        /* ITIMER_REAL */
        SYS setitimer, 3
        pushl $0
        pushl $0
        pushl $status
        pushl %ebx
        SYS wait4, 4
        movl %eax, waitret
        setc %al
        movzbl %al, %eax
        movl %eax, waitcf
spin:   pushl $0                        /* then sleep for good (cheaper than spinning) */
        pushl $forever
        SYS nanosleep, 2
        jmp spin

handler:
        incl count
        ret

        .section .rodata
forever: .long 1000000, 0

        .data
count:   .long 0
waitret: .long 0
waitcf:  .long 0
status:  .long 0
act:     .long handler, 0, 0, 0, 0, 0
itv:     .long 0, 0, 0, 50000
ts:      .long 0, 200000000
