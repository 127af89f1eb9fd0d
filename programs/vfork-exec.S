/*
 * vfork-exec: what a shell does to run a command.  pid = vfork(); the child
 * execve("/bin/true", ["true"], []) and, should that fail, exits 127 as sh does;
 * the parent, asleep in "ppwait" until the child's exec, then wait4s and exits
 * with the child's exit code (128 + the signal if one ended it). Exits 1 when
 * vfork fails.
 */
        .include "sys.inc"
        .text
        .globl _start
_start:
        SYS vfork
        jc failed
        testl %eax, %eax
        jnz parent
        /* The child borrows the parent's memory and stack until it execs. */
        pushl $envp
        pushl $argv
        pushl $path
        SYS execve, 3
        EXIT $127
parent:
        movl %eax, %ebx
        WAIT_EXIT_CODE %ebx
failed:
        EXIT $1

        .data
        .align 4
argv:
        .long arg0, 0
envp:
        .long 0
path:
        .asciz "/bin/true"
arg0:
        .asciz "true"

        .bss
        .align 4
wstatus:
        .space 4
