/* forklab libpthread: signals to and masks of threads, yielding, and the stdio stream
   locks. pthread_kill is lwp_kill(2) to the thread's LWP; pthread_sigmask is the LWP's
   own sigprocmask(2). flockfile takes a recursive lock chosen by the FILE's address from
   a small table (two streams may share one: coarser, never wrong). newlib's stdio here
   does not lock by itself (docs/libc.md). */
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>
#include "thr_private.h"

int
pthread_kill(pthread_t t, int sig)
{
	if (sig < 0 || sig > 128)
		return EINVAL;
	if (lwp_kill(getpid(), t->tid, sig) < 0)
		return errno;
	return 0;
}

int
pthread_sigmask(int how, const sigset_t *set, sigset_t *oset)
{
	return sigprocmask(how, set, oset) < 0 ? errno : 0;
}

void
pthread_yield(void)
{
	sched_yield();
}

#define NFILELOCKS 16
static struct thr_rlock file_locks[NFILELOCKS];

static struct thr_rlock *
file_lock(FILE *fp)
{
	return &file_locks[((uintptr_t)fp >> 4) % NFILELOCKS];
}

void
flockfile(FILE *fp)
{
	_thr_rlock_acquire(file_lock(fp));
}

int
ftrylockfile(FILE *fp)
{
	return _thr_rlock_tryacquire(file_lock(fp));
}

void
funlockfile(FILE *fp)
{
	_thr_rlock_release(file_lock(fp));
}
