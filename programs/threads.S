/*
 * threads: lwp_create until it fails, then exit with the errno of the failure (in
 * forklab EAGAIN, 35, once no kernel stack is left), or 0 if all MAXT stack slices
 * were used without a failure. Exits 1 when the first fork fails.
 *
 * The new LWPs must stay alive without using the CPU, or the limit would take
 * quadratic time to reach: first a child process is forked that spins (the only
 * LWP that burns CPU), and every new LWP sleeps in wait4 for that child. At the
 * end the main thread kills the child, so the sleepers wake up and exit with
 * extexit(EXTEXIT_LWP), and exits itself (which also ends any LWP still asleep).
 */
        .include "sys.inc"
        .equ MAXT, 4096                 /* LWPs at most, one stack slice each */
        .equ SLICE, 64                  /* bytes of user stack per LWP */
        .text
        .globl _start
_start:
        SYS fork
        jc forkfail
        testl %eax, %eax
        jz spinner
        movl %eax, child
        movl $thread, params            /* lwp_params.func */
        movl %eax, params + 4           /* .arg: the child's pid */
        movl $0, params + 12            /* .tid1 */
        movl $tidout, params + 16       /* .tid2 */
        xorl %esi, %esi                 /* %esi: LWPs created */
        movl $stacks + SLICE, %edi      /* %edi: top of the next stack slice */
create:
        cmpl $MAXT, %esi
        jae nolimit
        movl %edi, params + 8           /* .stack */
        pushl $params
        SYS lwp_create, 1
        jc limit
        incl %esi
        addl $SLICE, %edi
        jmp create
limit:
        movl %eax, %ebx                 /* the errno */
        jmp finish
nolimit:
        xorl %ebx, %ebx
finish:
        pushl $SIGKILL
        pushl child
        SYS kill, 2
        EXIT %ebx
forkfail:
        EXIT $1

/* The child: spin until killed. */
spinner:
        jmp spinner

/*
 * An LWP: func(arg) with arg = the child's pid at 4(%esp), a NULL return address
 * at 0(%esp) (cpu_prepare_lwp). Count yourself, sleep in wait4 until the child
 * dies, then end this LWP.
 */
thread:
        incl nthreads
        movl 4(%esp), %eax
        pushl $0                        /* rusage */
        pushl $0                        /* options */
        pushl $0                        /* status: not wanted */
        pushl %eax
        SYS wait4, 4
        pushl $0                        /* addr */
        pushl $0                        /* status */
        pushl $EXTEXIT_LWP
        SYS extexit, 3
        jmp thread                      /* not reached */

        .bss
        .align 4
child:
        .space 4
nthreads:                               /* LWPs that have started running */
        .space 4
tidout:                                 /* the last new LWP's tid */
        .space 4
params:                                 /* struct lwp_params: func arg stack tid1 tid2 */
        .space 20
        .align 16
stacks:
        .space MAXT * SLICE
