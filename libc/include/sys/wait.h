/* forklab libc: DragonFly's wait statuses and options (sys/sys/wait.h). */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H
#include <sys/types.h>

#define _WSTATUS(x) ((x) & 0177)
#define _WSTOPPED 0177
#define WIFSTOPPED(x) (_WSTATUS(x) == _WSTOPPED)
#define WSTOPSIG(x) (((x) >> 8) & 0xff)
#define WIFSIGNALED(x) (_WSTATUS(x) != _WSTOPPED && _WSTATUS(x) != 0)
#define WTERMSIG(x) (_WSTATUS(x))
#define WIFEXITED(x) (_WSTATUS(x) == 0)
#define WEXITSTATUS(x) (((x) >> 8) & 0xff)
#define WIFCONTINUED(x) ((x) == 0x13)
#define WCOREFLAG 0200
#define WCOREDUMP(x) ((x) & WCOREFLAG)
#define W_EXITCODE(ret, sig) ((ret) << 8 | (sig))
#define W_STOPCODE(sig) ((sig) << 8 | _WSTOPPED)

#define WNOHANG 1
#define WUNTRACED 2
#define WCONTINUED 4
#define WLINUXCLONE 0x80000000
#define WAIT_ANY (-1)
#define WAIT_MYPGRP 0

struct rusage;
__BEGIN_DECLS
pid_t wait(int *);
pid_t waitpid(pid_t, int *, int);
pid_t wait3(int *, int, struct rusage *);
pid_t wait4(pid_t, int *, int, struct rusage *);
__END_DECLS
#endif
