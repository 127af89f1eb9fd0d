/* forklab libc: <signal.h> over DragonFly's <sys/signal.h>. */
#ifndef _SIGNAL_H_
#define _SIGNAL_H_
#include <sys/cdefs.h>
#include <sys/signal.h>

typedef int sig_atomic_t;
typedef _sig_func_ptr sig_t;

__BEGIN_DECLS
_sig_func_ptr signal(int, _sig_func_ptr);
int raise(int);
void psignal(int, const char *);
__END_DECLS
#endif
