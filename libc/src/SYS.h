/* forklab libc: the i386 system call stub, as DragonFly's lib/libc/i386/SYS.h makes it.
   The caller's `call` left a return address at (%esp), so argument 1 is at 4(%esp) where
   the kernel copies it from; int $0x80 sets the carry flag on error with the errno in
   %eax, and __cerror stores it and returns -1. */
#include <sys/syscall.h>

	.section .note.GNU-stack, "", @progbits

#define ENTRY(name) \
	.text; .globl name; .type name, @function; .p2align 2; name:
#define END(name) .size name, . - name

#define SYSTRAP(name) movl $SYS_##name, %eax; int $0x80

/* name(...) -> the kernel's result, -1 and errno on error */
#define RSYSCALL(name) ENTRY(name) SYSTRAP(name); jb __cerror; ret; END(name)
/* the same for an internal entry __sys_name with the kernel's own argument layout */
#define PSYSCALL(name) ENTRY(__sys_##name) SYSTRAP(name); jb __cerror; ret; END(__sys_##name)
