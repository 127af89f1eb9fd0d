/* forklab libpthread: mutexes. A pthread_mutex_t points at a struct pthread_mutex the
   library allocates; PTHREAD_MUTEX_INITIALIZER is NULL and the first lock makes the
   object (under one static lock, as libthread_xu's init_static). The default type is
   ERRORCHECK, as on DragonFly: relocking is EDEADLK, unlocking another thread's mutex
   EPERM. Contention sleeps on the umtx word. */
#include <stdlib.h>
#include <time.h>
#include "thr_private.h"

static umtx_t static_init_lock;

/* Makes *obj with init unless another thread already has (the NULL of a static initializer). */
int
_thr_static_init(void **obj, int (*init)(void **))
{
	int error = 0;

	_thr_umtx_lock(&static_init_lock);
	if (*obj == NULL)
		error = init(obj);
	_thr_umtx_unlock(&static_init_lock);
	return error;
}

static int
mutex_alloc(pthread_mutex_t *mutex, int type)
{
	struct pthread_mutex *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return ENOMEM;
	m->m_type = type;
	*mutex = m;
	return 0;
}

static int
mutex_init_default(void **obj)
{
	return mutex_alloc((pthread_mutex_t *)obj, PTHREAD_MUTEX_DEFAULT);
}

int
pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	struct pthread_mutex_attr *a = malloc(sizeof(*a));

	if (a == NULL)
		return ENOMEM;
	a->m_type = PTHREAD_MUTEX_DEFAULT;
	*attr = a;
	return 0;
}

int
pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	if (attr == NULL || *attr == NULL)
		return EINVAL;
	free(*attr);
	*attr = NULL;
	return 0;
}

int
pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (attr == NULL || *attr == NULL || type < PTHREAD_MUTEX_ERRORCHECK || type >= PTHREAD_MUTEX_TYPE_MAX)
		return EINVAL;
	(*attr)->m_type = type;
	return 0;
}

int
pthread_mutexattr_gettype(pthread_mutexattr_t *attr, int *type)
{
	if (attr == NULL || *attr == NULL)
		return EINVAL;
	*type = (*attr)->m_type;
	return 0;
}

int
pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
	if (attr != NULL && *attr == NULL)
		return EINVAL;
	return mutex_alloc(mutex, attr != NULL ? (*attr)->m_type : PTHREAD_MUTEX_DEFAULT);
}

int
pthread_mutex_destroy(pthread_mutex_t *mutex)
{
	struct pthread_mutex *m;

	if (mutex == NULL)
		return EINVAL;
	if ((m = *mutex) == NULL)
		return 0;
	if (m->m_owner != NULL || m->m_lock.u_lock != 0)
		return EBUSY;
	free(m);
	*mutex = NULL;
	return 0;
}

/* The mutex behind *mutex, made now if it was statically initialized; NULL on failure (error set). */
static struct pthread_mutex *
mutex_get(pthread_mutex_t *mutex, int *error)
{
	*error = 0;
	if (mutex == NULL) {
		*error = EINVAL;
		return NULL;
	}
	if (*mutex == NULL && (*error = _thr_static_init((void **)mutex, mutex_init_default)) != 0)
		return NULL;
	return *mutex;
}

/* What locking a mutex the caller already holds gives: 0 when it may proceed (recursive). */
static int
mutex_self(struct pthread_mutex *m)
{
	switch (m->m_type) {
	case PTHREAD_MUTEX_RECURSIVE:
		m->m_count++;
		return 0;
	case PTHREAD_MUTEX_ERRORCHECK:
		return EDEADLK;
	default:
		return -1;	/* NORMAL: deadlock, as POSIX says */
	}
}

static int
mutex_lock(pthread_mutex_t *mutex, const struct timespec *abstime)
{
	struct pthread *self = _thr_self();
	struct pthread_mutex *m;
	int error, us, past, v;

	if ((m = mutex_get(mutex, &error)) == NULL)
		return error;
	if (m->m_owner == self && (error = mutex_self(m)) >= 0)
		return error;
	if (abstime == NULL) {
		_thr_umtx_lock(&m->m_lock);
	} else {
		if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000)
			return EINVAL;
		while (!atomic_cmpset_int(&m->m_lock.u_lock, 0, 1)) {
			v = atomic_swap_int(&m->m_lock.u_lock, 2);
			if (v == 0)
				break;
			us = _thr_timeout_us(abstime, &past);
			if (past)
				return ETIMEDOUT;
			umtx_sleep(&m->m_lock.u_lock, 2, us);
		}
	}
	m->m_owner = self;
	m->m_count = 1;
	return 0;
}

int
pthread_mutex_lock(pthread_mutex_t *mutex)
{
	return mutex_lock(mutex, NULL);
}

int
pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *abstime)
{
	return mutex_lock(mutex, abstime);
}

int
pthread_mutex_trylock(pthread_mutex_t *mutex)
{
	struct pthread *self = _thr_self();
	struct pthread_mutex *m;
	int error;

	if ((m = mutex_get(mutex, &error)) == NULL)
		return error;
	if (m->m_owner == self && m->m_type == PTHREAD_MUTEX_RECURSIVE) {
		m->m_count++;
		return 0;
	}
	if (_thr_umtx_trylock(&m->m_lock))
		return EBUSY;
	m->m_owner = self;
	m->m_count = 1;
	return 0;
}

int
pthread_mutex_unlock(pthread_mutex_t *mutex)
{
	struct pthread_mutex *m;

	if (mutex == NULL || (m = *mutex) == NULL)
		return EINVAL;
	if (m->m_owner != _thr_self())
		return EPERM;
	if (m->m_type == PTHREAD_MUTEX_RECURSIVE && --m->m_count > 0)
		return 0;
	m->m_owner = NULL;
	_thr_umtx_unlock(&m->m_lock);
	return 0;
}

int
_thr_timeout_us(const struct timespec *abstime, int *past)
{
	struct timespec now;
	long long us;

	clock_gettime(CLOCK_REALTIME, &now);
	us = (long long)(abstime->tv_sec - now.tv_sec) * 1000000 + (abstime->tv_nsec - now.tv_nsec) / 1000;
	*past = us <= 0;
	return us > 1000000 ? 1000000 : us <= 0 ? 0 : (int)us;
}
