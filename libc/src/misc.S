/* forklab libc: the system calls with a hand-made stub. */
#include "SYS.h"

/* pipe(fd): the kernel returns the two descriptors in %eax and %edx. */
ENTRY(pipe)
	SYSTRAP(pipe)
	jb __cerror
	movl 4(%esp), %ecx
	movl %eax, (%ecx)
	movl %edx, 4(%ecx)
	xorl %eax, %eax
	ret
END(pipe)

/* _exit(status) does not return. */
ENTRY(_exit)
	SYSTRAP(exit)
1:	jmp 1b
END(_exit)

/* syscall(number, ...): the number comes off the stack into %eax and the return
   address is put back where it was, so the arguments sit at 4(%esp) for the kernel; the
   return address is pushed once more to give the caller back the stack it built. */
ENTRY(syscall)
	popl %ecx
	popl %eax
	pushl %ecx
	int $0x80
	pushl %ecx
	jb __cerror
	ret
END(syscall)

/* __syscall(quad number, ...): the kernel reads the 64-bit number itself. */
ENTRY(__syscall)
	SYSTRAP(__syscall)
	jb __cerror
	ret
END(__syscall)

/* The error path of every stub: errno = %eax; return -1 in %eax and %edx. */
ENTRY(__cerror)
	pushl %eax
	call __seterrno
	addl $4, %esp
	movl $-1, %eax
	movl $-1, %edx
	ret
END(__cerror)
