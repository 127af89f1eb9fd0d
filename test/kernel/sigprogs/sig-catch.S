/*
 * sig-catch: catches SIGUSR1 and SIGUSR2 with one handler, sends itself SIGUSR1 and
 * sleeps. Everything it sees is logged in .data for the test to read (test/kernel/
 * sighandler.test.ts): the struct sigaction of each signal is in .data too, so a test
 * sets the flags and masks it wants before the program runs.
 *
 * .data layout (offsets from its start):
 *   0 count        handler invocations
 *   4 killret      %eax after kill() returned
 *   8 killcf       1 if kill() returned with CF set
 *  12 maskafter    word 0 of the signal mask after the handler returned
 *  16 log[16]      per invocation, 32 bytes: signal, arg 2, arg 3, arg 4 (the handler's
 *                  four arguments), %esp at entry, the return address, word 0 of the
 *                  mask the handler runs with, the nesting depth
 * 528 act1, 552 act2   struct sigaction of SIGUSR1 and SIGUSR2 (handler, flags, mask)
 * 576 mode       bit 0: the SIGUSR1 handler sends SIGUSR2 to the process
 * 580 depth, 584 scratch
 */
        .include "sys.inc"
        .include "sigsys.inc"
        .text
        .globl _start
_start:
        pushl $0
        pushl $act1
        pushl $SIGUSR1
        SYS sigaction, 3
        pushl $0
        pushl $act2
        pushl $SIGUSR2
        SYS sigaction, 3
        call sendusr1
        movl %eax, killret
        setc %al
        movzbl %al, %eax
        movl %eax, killcf
        call maskword
        movl %eax, maskafter
spin:   pushl $0                        /* then sleep for good (cheaper than spinning) */
        pushl $forever
        SYS nanosleep, 2
        jmp spin

/* kill(getpid(), SIGUSR1) */
sendusr1:
        SYS getpid
        pushl $SIGUSR1
        pushl %eax
        SYS kill, 2
        ret

/* %eax = word 0 of the current signal mask (sigprocmask(SIG_BLOCK, NULL, &scratch)). */
maskword:
        pushl $scratch
        pushl $0
        pushl $SIG_BLOCK
        SYS sigprocmask, 3
        movl scratch, %eax
        ret

handler:
        pushl %ebp
        movl %esp, %ebp
        incl depth
        movl count, %edi
        incl count
        shll $5, %edi
        addl $log, %edi
        movl 8(%ebp), %eax
        movl %eax, (%edi)
        movl 12(%ebp), %eax
        movl %eax, 4(%edi)
        movl 16(%ebp), %eax
        movl %eax, 8(%edi)
        movl 20(%ebp), %eax
        movl %eax, 12(%edi)
        leal 4(%ebp), %eax
        movl %eax, 16(%edi)
        movl 4(%ebp), %eax
        movl %eax, 20(%edi)
        call maskword
        movl %eax, 24(%edi)
        movl depth, %eax
        movl %eax, 28(%edi)
        cmpl $SIGUSR1, 8(%ebp)
        jne 1f
        testl $1, mode
        jz 1f
        SYS getpid
        pushl $SIGUSR2
        pushl %eax
        SYS kill, 2
1:      decl depth
        popl %ebp
        ret

        .section .rodata
forever: .long 1000000, 0

        .data
count:     .long 0
killret:   .long 0
killcf:    .long 0
maskafter: .long 0
log:       .space 512
act1:      .long handler, 0, 0, 0, 0, 0
act2:      .long handler, 0, 0, 0, 0, 0
mode:      .long 0
depth:     .long 0
scratch:   .space 16
