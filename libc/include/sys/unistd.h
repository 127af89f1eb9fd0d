/* forklab libc: newlib's <sys/unistd.h> plus DragonFly's own process calls:
   rfork(2) and its RF* flags (sys/sys/unistd.h 1.9), lwp_create(2), lwp_gettid(2),
   extexit(2). */
#ifndef _FORKLAB_SYS_UNISTD_H_
#define _FORKLAB_SYS_UNISTD_H_
#include_next <sys/unistd.h>

#define RFNAMEG (1 << 0)
#define RFENVG (1 << 1)
#define RFFDG (1 << 2)
#define RFNOTEG (1 << 3)
#define RFPROC (1 << 4)
#define RFMEM (1 << 5)
#define RFNOWAIT (1 << 6)
#define RFCNAMEG (1 << 10)
#define RFCENVG (1 << 11)
#define RFCFDG (1 << 12)
#define RFTHREAD (1 << 13)
#define RFSIGSHARE (1 << 14)
#define RFLINUXTHPN (1 << 16)
#define RFPPWAIT (1U << 31)

#define EXTEXIT_SIMPLE 0
#define EXTEXIT_SETINT 1
#define EXTEXIT_ACTION(f) ((f) & 0xffff)
#define EXTEXIT_PROC (0 << 16)
#define EXTEXIT_LWP (1 << 16)
#define EXTEXIT_WHO(f) ((f) & 0xffff0000)

struct lwp_params;
_BEGIN_STD_C
int rfork(int);
int rfork_thread(int, void *, int (*)(void *), void *);
int lwp_create(struct lwp_params *);
int lwp_gettid(void);
int lwp_kill(pid_t, int, int);
void extexit(int, int, void *) __attribute__((__noreturn__));
int brk(const void *);
int setlogin(const char *);
_END_STD_C
#endif
