/* forklab libc: the start of a static program. The kernel enters at _start with %esp
   at argc, then argv[], NULL, envp[], NULL, the auxv (reference §10.2), and no return
   address; the stack is only 4-aligned. __libc_start(argc, argv, envp) is called on a
   16-aligned stack and never returns. */
	.text
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	movl (%esp), %eax		/* argc */
	leal 4(%esp), %ebx		/* argv */
	leal 8(%esp,%eax,4), %ecx	/* envp = argv + argc + 1 */
	andl $-16, %esp
	subl $4, %esp
	pushl %ecx
	pushl %ebx
	pushl %eax
	call __libc_start
	hlt
	.size _start, . - _start

/* The ABI note DragonFly's crt1 emits (crtbrand.c 1.5): exec takes an ELF file whose
   PT_NOTE names "DragonFly", with __DragonFly_version 197700 (1.13). */
	.section .note.ABI-tag, "a", @note
	.p2align 2
	.long 10			/* namesz */
	.long 4				/* descsz */
	.long 1				/* type: NT_VERSION */
	.asciz "DragonFly"
	.p2align 2
	.long 197700
	.section .note.GNU-stack, "", @progbits
