/* forklab libpthread: the umtx lock every other object is built on (umtx.2's example,
   in the three-state form): lock by cmpxchg 0 -> 1; contended, mark the word 2 and sleep
   while it stays 2; unlock by swapping in 0, and wake one sleeper if it was 2. */
#include "thr_private.h"

void
_thr_umtx_lock(umtx_t *m)
{
	int v;

	if (atomic_cmpset_int(&m->u_lock, 0, 1))
		return;
	for (;;) {
		v = atomic_swap_int(&m->u_lock, 2);
		if (v == 0)
			return;
		umtx_sleep(&m->u_lock, 2, 0);
	}
}

int
_thr_umtx_trylock(umtx_t *m)
{
	return atomic_cmpset_int(&m->u_lock, 0, 1) ? 0 : EBUSY;
}

void
_thr_umtx_unlock(umtx_t *m)
{
	if (atomic_swap_int(&m->u_lock, 0) == 2)
		umtx_wakeup(&m->u_lock, 1);
}

void
_thr_rlock_acquire(struct thr_rlock *l)
{
	struct pthread *self = _thr_self();

	if (l->owner == self) {
		l->count++;
		return;
	}
	_thr_umtx_lock(&l->lock);
	l->owner = self;
	l->count = 1;
}

int
_thr_rlock_tryacquire(struct thr_rlock *l)
{
	struct pthread *self = _thr_self();

	if (l->owner == self) {
		l->count++;
		return 0;
	}
	if (_thr_umtx_trylock(&l->lock))
		return EBUSY;
	l->owner = self;
	l->count = 1;
	return 0;
}

void
_thr_rlock_release(struct thr_rlock *l)
{
	if (--l->count > 0)
		return;
	l->owner = NULL;
	_thr_umtx_unlock(&l->lock);
}
