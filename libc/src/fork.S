/* forklab libc: fork, rfork, vfork. The kernel returns in two registers: %eax is the
   child's pid in the parent and %edx is 0; the child gets %edx = 1, and the stub turns
   that into a 0 result (lib/libc/i386/sys/{fork,rfork,vfork}.S). */
#include "SYS.h"

ENTRY(fork)
	SYSTRAP(fork)
	jb __cerror
	testl %edx, %edx
	jz 1f
	xorl %eax, %eax
1:	ret
END(fork)

ENTRY(rfork)
	SYSTRAP(rfork)
	jb __cerror
	testl %edx, %edx
	jz 1f
	xorl %eax, %eax
1:	ret
END(rfork)

/* The vfork child runs on the parent's stack until it execs or exits, and its calls
   overwrite the words below the parent's frame: the return address must not stay on the
   stack. It is popped into %ecx, which the kernel preserves, and jumped to. */
ENTRY(vfork)
	popl %ecx
	SYSTRAP(vfork)
	jb 2f
	testl %edx, %edx
	jz 1f
	xorl %eax, %eax
1:	jmp *%ecx
2:	pushl %ecx
	jmp __cerror
END(vfork)

/* rfork_thread(flags, stack, func, arg) (lib/libc/i386/gen/rfork_thread.S): rfork whose
   child runs func(arg) on `stack` and exits with its result. With RFMEM the parent and
   the child share the address space and so the caller's stack: the child must not
   return through it, and takes nothing from it after the trap but what is in registers. */
ENTRY(rfork_thread)
	pushl %ebp
	movl %esp, %ebp
	pushl %esi
	movl 12(%ebp), %esi		/* the child's stack: arg, then func below it */
	subl $8, %esi
	movl 20(%ebp), %eax
	movl %eax, 4(%esi)
	movl 16(%ebp), %eax
	movl %eax, 0(%esi)
	pushl 8(%ebp)			/* flags */
	pushl $0			/* the return address slot */
	SYSTRAP(rfork)
	jb 2f
	addl $8, %esp
	testl %edx, %edx
	jnz 1f
	popl %esi			/* the parent: the child's pid */
	leave
	ret
1:	movl %esi, %esp			/* the child */
	popl %eax
	call *%eax
	pushl %eax
	pushl $0
	SYSTRAP(exit)
	hlt
2:	addl $8, %esp
	popl %esi
	leave
	jmp __cerror
END(rfork_thread)
