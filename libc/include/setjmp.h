/* forklab libc: setjmp/longjmp as DragonFly's (lib/libc/i386/gen/setjmp.S 1.4):
   setjmp saves the signal mask and longjmp restores it with sigprocmask; _setjmp and
   _longjmp do not; sigsetjmp saves it when asked. */
#ifndef _SETJMP_H_
#define _SETJMP_H_
#include <sys/cdefs.h>

/* eip, ebx, esp, ebp, esi, edi, the mask (4 words), whether it was saved; FPU cw */
#define _JBLEN 12
typedef struct _jmp_buf { int _jb[_JBLEN]; } jmp_buf[1];
typedef struct _sigjmp_buf { int _sjb[_JBLEN]; } sigjmp_buf[1];

__BEGIN_DECLS
int setjmp(jmp_buf) __attribute__((__returns_twice__));
void longjmp(jmp_buf, int) __attribute__((__noreturn__));
int _setjmp(jmp_buf) __attribute__((__returns_twice__));
void _longjmp(jmp_buf, int) __attribute__((__noreturn__));
int sigsetjmp(sigjmp_buf, int) __attribute__((__returns_twice__));
void siglongjmp(sigjmp_buf, int) __attribute__((__noreturn__));
__END_DECLS
#endif
