/* forklab libpthread: threads. pthread_create makes an LWP with lwp_create(2) on a stack
   of its own (mmap); the new thread loads its TLS block into %gs (set_tls_area(2)) so
   pthread_self is one load. The first pthread_create makes the main thread's block too
   and turns on __isthreaded (malloc's lock). A thread ends by marking itself PS_DEAD,
   waking its joiner (umtx_wakeup on the state word), and extexit(2) of its LWP, which
   stores 1 in `terminated` when the thread is off its stack: only then is the stack
   freed (by the joiner, or for a detached thread by a later pthread_create). */
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include "thr_private.h"

int __isthreaded;
struct pthread *_thr_list;
umtx_t _thr_list_lock;
static struct pthread _thr_initial;
static int _thr_active = 1;		/* threads not yet PS_DEAD */

static void
set_tcb(struct tcb *tcb)
{
	struct tls_info info = { tcb, -1 };
	int sel = set_tls_area(0, &info, sizeof(info));

	if (sel < 0)
		abort();
	__asm__ __volatile__("movw %w0,%%gs" : : "r"(sel));
}

struct pthread *
_thr_self(void)
{
	struct pthread *t;

	if (!__isthreaded)
		return &_thr_initial;
	__asm__ ("movl %%gs:8,%0" : "=r"(t));
	return t;
}

pthread_t
pthread_self(void)
{
	return _thr_self();
}

int
pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

static void
tcb_init(struct pthread *t)
{
	t->tcb.tcb_self = &t->tcb;
	t->tcb.tcb_pthread = t;
	t->tcb.tcb_errno_p = &errno;	/* one errno for all threads (docs/libc.md) */
}

static void
thr_init(void)
{
	struct pthread *t = &_thr_initial;

	tcb_init(t);
	t->tid = lwp_gettid();
	t->state = PS_RUNNING;
	_thr_list = t;
	set_tcb(&t->tcb);
	__isthreaded = 1;
}

/* The thread t if it is still known (the list is locked), else NULL. */
static struct pthread *
thr_find(struct pthread *t)
{
	struct pthread *p;

	for (p = _thr_list; p != NULL; p = p->next)
		if (p == t)
			return p;
	return NULL;
}

static void
thr_unlink(struct pthread *t)
{
	struct pthread **pp;

	for (pp = &_thr_list; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			return;
		}
}

static void
thr_free(struct pthread *t)
{
	if (t == &_thr_initial)
		return;
	if (t->stack != NULL)
		munmap(t->stack, t->stacksize);
	free(t);
}

/* Frees the detached threads whose LWPs are gone. */
static void
thr_gc(void)
{
	struct pthread *t, *next, *dead = NULL;

	_thr_umtx_lock(&_thr_list_lock);
	for (t = _thr_list; t != NULL; t = next) {
		next = t->next;
		if (t->detached && t->terminated) {
			thr_unlink(t);
			t->next = dead;
			dead = t;
		}
	}
	_thr_umtx_unlock(&_thr_list_lock);
	for (t = dead; t != NULL; t = next) {
		next = t->next;
		thr_free(t);
	}
}

static void __attribute__((force_align_arg_pointer, noreturn))
thread_start(void *arg)
{
	struct pthread *t = arg;

	set_tcb(&t->tcb);
	pthread_exit(t->start(t->arg));
}

int
pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
	struct pthread *t;
	struct lwp_params params;
	size_t size = attr != NULL && *attr != NULL ? (*attr)->stacksize : THR_STACK_DEFAULT;

	if (!__isthreaded)
		thr_init();
	thr_gc();
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return EAGAIN;
	t->stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0);
	if (t->stack == MAP_FAILED) {
		free(t);
		return EAGAIN;
	}
	tcb_init(t);
	t->stacksize = size;
	t->start = start;
	t->arg = arg;
	t->state = PS_RUNNING;
	t->detached = attr != NULL && *attr != NULL && (*attr)->detachstate == PTHREAD_CREATE_DETACHED;
	*thread = t;
	_thr_umtx_lock(&_thr_list_lock);
	t->next = _thr_list;
	_thr_list = t;
	_thr_active++;
	_thr_umtx_unlock(&_thr_list_lock);

	params.func = thread_start;
	params.arg = t;
	params.stack = (char *)t->stack + size;
	params.tid1 = &t->tid;
	params.tid2 = NULL;
	if (lwp_create(&params) < 0) {
		_thr_umtx_lock(&_thr_list_lock);
		thr_unlink(t);
		_thr_active--;
		_thr_umtx_unlock(&_thr_list_lock);
		thr_free(t);
		return EAGAIN;
	}
	return 0;
}

void
pthread_exit(void *ret)
{
	struct pthread *self = _thr_self();
	int last;

	self->ret = ret;
	_thr_key_destroy_all(self);
	_thr_umtx_lock(&_thr_list_lock);
	last = --_thr_active == 0;
	self->state = PS_DEAD;
	_thr_umtx_unlock(&_thr_list_lock);
	if (last)
		exit(0);	/* the last thread: the process ends as if main returned 0 */
	umtx_wakeup(&self->state, 0);
	extexit(EXTEXIT_SETINT | EXTEXIT_LWP, 1, (void *)&self->terminated);
	abort();
}

int
pthread_join(pthread_t t, void **ret)
{
	int state;

	if (t == _thr_self())
		return EDEADLK;
	_thr_umtx_lock(&_thr_list_lock);
	if (thr_find(t) == NULL) {
		_thr_umtx_unlock(&_thr_list_lock);
		return ESRCH;
	}
	if (t->detached || t->joining) {
		_thr_umtx_unlock(&_thr_list_lock);
		return EINVAL;
	}
	t->joining = 1;
	_thr_umtx_unlock(&_thr_list_lock);

	while ((state = t->state) != PS_DEAD)
		umtx_sleep(&t->state, state, 0);
	while (!t->terminated)		/* its last steps to extexit */
		umtx_sleep(&t->terminated, 0, 10000);
	if (ret != NULL)
		*ret = t->ret;
	_thr_umtx_lock(&_thr_list_lock);
	thr_unlink(t);
	_thr_umtx_unlock(&_thr_list_lock);
	thr_free(t);
	return 0;
}

int
pthread_detach(pthread_t t)
{
	int error = 0;

	_thr_umtx_lock(&_thr_list_lock);
	if (thr_find(t) == NULL)
		error = ESRCH;
	else if (t->detached || t->joining)
		error = EINVAL;
	else
		t->detached = 1;
	_thr_umtx_unlock(&_thr_list_lock);
	return error;
}

/* newlib's malloc takes this lock around its work: a recursive umtx lock once threads exist. */
static struct thr_rlock malloc_lock;

void
__malloc_lock(void *reent)
{
	(void)reent;
	if (__isthreaded)
		_thr_rlock_acquire(&malloc_lock);
}

void
__malloc_unlock(void *reent)
{
	(void)reent;
	if (__isthreaded)
		_thr_rlock_release(&malloc_lock);
}
