/* forklab libc: <pthread.h> as a 2008 DragonFly target has it for libthread_xu (1:1
   threads on lwp_create(2), sleeping on umtx_sleep(2)): link with -lpthread. The types
   (sys/_pthreadtypes.h) are opaque pointers, so the static initializers are NULL.
   libc/pthread/ is the library; docs/libc.md says what it does and does not do. */
#ifndef _PTHREAD_H_
#define _PTHREAD_H_

#ifndef _POSIX_THREADS
#define _POSIX_THREADS 200112L
#endif
#include <sys/cdefs.h>
#include <sys/types.h>
#include <sys/signal.h>
#include <sched.h>
#include <time.h>
#include <limits.h>

#define PTHREAD_DESTRUCTOR_ITERATIONS	4
#define PTHREAD_KEYS_MAX		256
#define PTHREAD_STACK_MIN		16384
#define PTHREAD_THREADS_MAX		__ULONG_MAX__

#define PTHREAD_DETACHED		0x1
#define PTHREAD_SCOPE_SYSTEM		0x2
#define PTHREAD_INHERIT_SCHED		0x4
#define PTHREAD_NOFLOAT			0x8
#define PTHREAD_CREATE_DETACHED		PTHREAD_DETACHED
#define PTHREAD_CREATE_JOINABLE		0
#define PTHREAD_SCOPE_PROCESS		0
#define PTHREAD_EXPLICIT_SCHED		0

#define PTHREAD_PROCESS_PRIVATE		0
#define PTHREAD_PROCESS_SHARED		1

#define PTHREAD_CANCEL_ENABLE		0
#define PTHREAD_CANCEL_DISABLE		1
#define PTHREAD_CANCEL_DEFERRED		0
#define PTHREAD_CANCEL_ASYNCHRONOUS	2
#define PTHREAD_CANCELED		((void *)1)

#define PTHREAD_NEEDS_INIT		0
#define PTHREAD_DONE_INIT		1

#define PTHREAD_ONCE_INIT		{ PTHREAD_NEEDS_INIT, NULL }
#define PTHREAD_MUTEX_INITIALIZER	NULL
#define PTHREAD_COND_INITIALIZER	NULL
#define PTHREAD_RWLOCK_INITIALIZER	NULL

#define PTHREAD_PRIO_NONE		0
#define PTHREAD_PRIO_INHERIT		1
#define PTHREAD_PRIO_PROTECT		2

enum pthread_mutextype {
	PTHREAD_MUTEX_ERRORCHECK	= 1,	/* Default POSIX mutex */
	PTHREAD_MUTEX_RECURSIVE		= 2,	/* Recursive mutex */
	PTHREAD_MUTEX_NORMAL		= 3,	/* No error checking */
	PTHREAD_MUTEX_TYPE_MAX
};
#define PTHREAD_MUTEX_DEFAULT		PTHREAD_MUTEX_ERRORCHECK

struct pthread_once {
	int		state;
	pthread_mutex_t	mutex;
};

__BEGIN_DECLS
int	pthread_attr_destroy(pthread_attr_t *);
int	pthread_attr_getdetachstate(const pthread_attr_t *, int *);
int	pthread_attr_getstacksize(const pthread_attr_t *, size_t *);
int	pthread_attr_init(pthread_attr_t *);
int	pthread_attr_setdetachstate(pthread_attr_t *, int);
int	pthread_attr_setstacksize(pthread_attr_t *, size_t);
int	pthread_cond_broadcast(pthread_cond_t *);
int	pthread_cond_destroy(pthread_cond_t *);
int	pthread_cond_init(pthread_cond_t *, const pthread_condattr_t *);
int	pthread_cond_signal(pthread_cond_t *);
int	pthread_cond_timedwait(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
int	pthread_cond_wait(pthread_cond_t *, pthread_mutex_t *);
int	pthread_condattr_destroy(pthread_condattr_t *);
int	pthread_condattr_init(pthread_condattr_t *);
int	pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
int	pthread_detach(pthread_t);
int	pthread_equal(pthread_t, pthread_t);
void	pthread_exit(void *) __dead2;
void	*pthread_getspecific(pthread_key_t);
int	pthread_join(pthread_t, void **);
int	pthread_key_create(pthread_key_t *, void (*)(void *));
int	pthread_key_delete(pthread_key_t);
int	pthread_kill(pthread_t, int);
int	pthread_mutex_destroy(pthread_mutex_t *);
int	pthread_mutex_init(pthread_mutex_t *, const pthread_mutexattr_t *);
int	pthread_mutex_lock(pthread_mutex_t *);
int	pthread_mutex_timedlock(pthread_mutex_t *, const struct timespec *);
int	pthread_mutex_trylock(pthread_mutex_t *);
int	pthread_mutex_unlock(pthread_mutex_t *);
int	pthread_mutexattr_destroy(pthread_mutexattr_t *);
int	pthread_mutexattr_gettype(pthread_mutexattr_t *, int *);
int	pthread_mutexattr_init(pthread_mutexattr_t *);
int	pthread_mutexattr_settype(pthread_mutexattr_t *, int);
int	pthread_once(pthread_once_t *, void (*)(void));
pthread_t pthread_self(void);
int	pthread_setspecific(pthread_key_t, const void *);
int	pthread_sigmask(int, const sigset_t *, sigset_t *);
void	pthread_yield(void);
__END_DECLS

#endif
