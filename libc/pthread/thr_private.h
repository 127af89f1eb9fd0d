/* forklab libpthread: the library's own structures, in libthread_xu's manner. Each
   thread is an LWP (lwp_create); its struct pthread is found through %gs, which names the
   thread's TLS block (set_tls_area), whose third word points at the struct. Blocking is
   umtx_sleep on a word, waking is umtx_wakeup on it. */
#ifndef _THR_PRIVATE_H_
#define _THR_PRIVATE_H_
#include <pthread.h>
#include <sys/umtx.h>
#include <sys/tls.h>
#include <sys/lwp.h>
#include <errno.h>

/* The atomics of a 486: cmpxchg and xchg with lock (DragonFly's i386 libthread_xu too). */
static inline int
atomic_cmpset_int(volatile int *p, int old, int new)
{
	int prev;
	__asm__ __volatile__("lock; cmpxchgl %2,%1" : "=a"(prev), "+m"(*p) : "r"(new), "0"(old) : "memory", "cc");
	return prev == old;
}

static inline int
atomic_swap_int(volatile int *p, int v)
{
	__asm__ __volatile__("xchgl %0,%1" : "+r"(v), "+m"(*p) : : "memory");
	return v;
}

/* A umtx lock: 0 free, 1 held, 2 held with sleepers (they sleep on the word being 2). */
typedef struct { volatile int u_lock; } umtx_t;
void _thr_umtx_lock(umtx_t *);
int _thr_umtx_trylock(umtx_t *);
void _thr_umtx_unlock(umtx_t *);

/* A recursive lock on top of a umtx (malloc's and the stdio streams'). */
struct thr_rlock { umtx_t lock; struct pthread *owner; int count; };
void _thr_rlock_acquire(struct thr_rlock *);
int _thr_rlock_tryacquire(struct thr_rlock *);
void _thr_rlock_release(struct thr_rlock *);

/* The TLS block %gs names (DragonFly's struct tls_tcb): self, dtv, pthread, errno_p. */
struct tcb {
	struct tcb *tcb_self;
	void *tcb_dtv;
	struct pthread *tcb_pthread;
	int *tcb_errno_p;
	void *tcb_spare[4];
};

enum thr_state { PS_RUNNING, PS_DEAD };

struct pthread {
	struct tcb tcb;
	lwpid_t tid;
	volatile int state;		/* PS_RUNNING, then PS_DEAD: joiners sleep on it */
	volatile int terminated;	/* set by extexit(2) once the LWP is gone and its stack free */
	int detached;
	int joining;			/* a join is waiting on this thread */
	void *ret;
	void *(*start)(void *);
	void *arg;
	void *stack;			/* mmap'd by the library; NULL for the main thread */
	size_t stacksize;
	const void *specific[PTHREAD_KEYS_MAX];
	struct pthread *next;		/* _thr_list */
};

struct pthread_attr {
	int detachstate;
	size_t stacksize;
};

struct pthread_mutex {
	umtx_t m_lock;
	int m_type;
	struct pthread *m_owner;
	int m_count;			/* recursion depth of a recursive mutex */
};

struct pthread_mutex_attr { int m_type; };

struct pthread_cond {
	volatile int c_seq;		/* bumped by each signal: waiters sleep on the value they saw */
	int c_waiters;
};

struct pthread_cond_attr { int c_pshared; };

#define THR_STACK_DEFAULT	(1024 * 1024)

extern int __isthreaded;
extern struct pthread *_thr_list;
extern umtx_t _thr_list_lock;

struct pthread *_thr_self(void);
int _thr_static_init(void **obj, int (*init)(void **));
void _thr_key_destroy_all(struct pthread *);

/* ts minus now on CLOCK_REALTIME in µs, at most 1 s (umtx_sleep's limit); 0 when past. */
int _thr_timeout_us(const struct timespec *abstime, int *past);
#endif
