/* forklab libc: setjmp and longjmp (lib/libc/i386/gen/{setjmp,_setjmp,sigsetjmp}.S).
   jmp_buf words: 0 eip, 1 ebx, 2 esp, 3 ebp, 4 esi, 5 edi, 6-9 the signal mask,
   10 whether the mask was saved, 11 the FPU control word. setjmp/longjmp save and
   restore the mask with sigprocmask(2); _setjmp/_longjmp do not; sigsetjmp does when
   its second argument is non-zero. */
#include "SYS.h"

#define SIG_BLOCK 1
#define SIG_SETMASK 3

/* the registers of the caller of a setjmp into the buffer at %ecx, then return 0 */
#define SAVE_REGS \
	movl 0(%esp), %edx; movl %edx, 0(%ecx); movl %ebx, 4(%ecx); movl %esp, 8(%ecx); \
	movl %ebp, 12(%ecx); movl %esi, 16(%ecx); movl %edi, 20(%ecx); fnstcw 44(%ecx); \
	xorl %eax, %eax; ret

/* back to the setjmp of the buffer at %edx, returning %eax (1 if it is 0) */
#define RESTORE_REGS \
	movl 0(%edx), %ecx; movl 4(%edx), %ebx; movl 8(%edx), %esp; movl 12(%edx), %ebp; \
	movl 16(%edx), %esi; movl 20(%edx), %edi; fninit; fldcw 44(%edx); \
	testl %eax, %eax; jnz 1f; incl %eax; 1: movl %ecx, 0(%esp); ret

/* sigprocmask(SIG_BLOCK, NULL, &buf->mask) for the buffer at 4(%esp) */
#define SAVE_MASK \
	movl 4(%esp), %ecx; leal 24(%ecx), %eax; pushl %eax; pushl $0; pushl $SIG_BLOCK; \
	call sigprocmask; addl $12, %esp

/* sigprocmask(SIG_SETMASK, &buf->mask, NULL) for the buffer at 4(%esp) */
#define RESTORE_MASK \
	movl 4(%esp), %edx; leal 24(%edx), %eax; pushl $0; pushl %eax; pushl $SIG_SETMASK; \
	call sigprocmask; addl $12, %esp

ENTRY(setjmp)
	SAVE_MASK
	movl 4(%esp), %ecx
	movl $1, 40(%ecx)
	SAVE_REGS
END(setjmp)

ENTRY(longjmp)
	RESTORE_MASK
	movl 4(%esp), %edx
	movl 8(%esp), %eax
	RESTORE_REGS
END(longjmp)

ENTRY(_setjmp)
	movl 4(%esp), %ecx
	movl $0, 40(%ecx)
	SAVE_REGS
END(_setjmp)

ENTRY(_longjmp)
	movl 4(%esp), %edx
	movl 8(%esp), %eax
	RESTORE_REGS
END(_longjmp)

ENTRY(sigsetjmp)
	movl 4(%esp), %ecx
	movl 8(%esp), %eax
	movl %eax, 40(%ecx)
	testl %eax, %eax
	jz 2f
	SAVE_MASK
	movl 4(%esp), %ecx
2:	SAVE_REGS
END(sigsetjmp)

ENTRY(siglongjmp)
	movl 4(%esp), %edx
	cmpl $0, 40(%edx)
	je 2f
	RESTORE_MASK
2:	movl 4(%esp), %edx
	movl 8(%esp), %eax
	RESTORE_REGS
END(siglongjmp)
	.section .note.GNU-stack, "", @progbits
