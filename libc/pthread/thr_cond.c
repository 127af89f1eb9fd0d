/* forklab libpthread: condition variables on a sequence word. A waiter notes the word,
   releases the mutex and sleeps while the word is unchanged; signal and broadcast bump it
   and wake one or all. A wakeup without a signal is allowed by POSIX (spurious). */
#include <stdlib.h>
#include "thr_private.h"

static int
cond_alloc(void **obj)
{
	struct pthread_cond *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return ENOMEM;
	*obj = c;
	return 0;
}

int
pthread_condattr_init(pthread_condattr_t *attr)
{
	struct pthread_cond_attr *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return ENOMEM;
	*attr = a;
	return 0;
}

int
pthread_condattr_destroy(pthread_condattr_t *attr)
{
	if (attr == NULL || *attr == NULL)
		return EINVAL;
	free(*attr);
	*attr = NULL;
	return 0;
}

int
pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)
{
	(void)attr;
	return cond_alloc((void **)cond);
}

int
pthread_cond_destroy(pthread_cond_t *cond)
{
	if (cond == NULL)
		return EINVAL;
	if (*cond == NULL)
		return 0;
	if ((*cond)->c_waiters > 0)
		return EBUSY;
	free(*cond);
	*cond = NULL;
	return 0;
}

static int
cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *abstime)
{
	struct pthread_cond *c;
	int error, seq, us, past;

	if (cond == NULL || mutex == NULL || *mutex == NULL)
		return EINVAL;
	if (*cond == NULL && (error = _thr_static_init((void **)cond, cond_alloc)) != 0)
		return error;
	if (abstime != NULL && (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000))
		return EINVAL;
	c = *cond;
	if ((*mutex)->m_owner != _thr_self())
		return EPERM;
	seq = c->c_seq;
	c->c_waiters++;
	pthread_mutex_unlock(mutex);
	error = 0;
	for (;;) {
		us = 0;
		if (abstime != NULL) {
			us = _thr_timeout_us(abstime, &past);
			if (past) {
				error = ETIMEDOUT;
				break;
			}
		}
		if (umtx_sleep(&c->c_seq, seq, us) == 0 || errno != EAGAIN || c->c_seq != seq)
			break;		/* woken, changed (EBUSY), or a signal: back to the caller */
	}
	pthread_mutex_lock(mutex);
	c->c_waiters--;
	return error;
}

int
pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
	return cond_wait(cond, mutex, NULL);
}

int
pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *abstime)
{
	return cond_wait(cond, mutex, abstime);
}

static int
cond_wake(pthread_cond_t *cond, int count)
{
	struct pthread_cond *c;

	if (cond == NULL)
		return EINVAL;
	if ((c = *cond) == NULL)
		return 0;		/* never waited on */
	atomic_swap_int(&c->c_seq, c->c_seq + 1);
	if (c->c_waiters > 0)
		umtx_wakeup(&c->c_seq, count);
	return 0;
}

int
pthread_cond_signal(pthread_cond_t *cond)
{
	return cond_wake(cond, 1);
}

int
pthread_cond_broadcast(pthread_cond_t *cond)
{
	return cond_wake(cond, 0);
}
