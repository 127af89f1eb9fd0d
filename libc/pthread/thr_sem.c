/* forklab libpthread: unnamed semaphores (sem_init) on a count word: sem_wait takes one
   when the count is positive (cmpxchg), else sleeps on the word while it is 0; sem_post
   adds one and wakes a sleeper. A signal handler's return is a spurious wakeup: the wait
   goes on (POSIX lets sem_wait fail with EINTR, it does not require it). Process-shared
   and named semaphores (sem_open) are not provided: ENOSYS. */
#include <limits.h>
#include <stdlib.h>
#include <semaphore.h>
#include "thr_private.h"

#define SEM_MAGIC 0x53454d21

struct sem {
	volatile int count;
	volatile int waiters;
	int magic;
};

static struct sem *
sem_get(sem_t *sem)
{
	if (sem == NULL || *sem == NULL || (*sem)->magic != SEM_MAGIC) {
		errno = EINVAL;
		return NULL;
	}
	return *sem;
}

int
sem_init(sem_t *sem, int pshared, unsigned int value)
{
	struct sem *s;

	if (value > SEM_VALUE_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (pshared != 0) {
		errno = ENOSYS;
		return -1;
	}
	if ((s = malloc(sizeof(*s))) == NULL) {
		errno = ENOSPC;
		return -1;
	}
	s->count = (int)value;
	s->waiters = 0;
	s->magic = SEM_MAGIC;
	*sem = s;
	return 0;
}

int
sem_destroy(sem_t *sem)
{
	struct sem *s = sem_get(sem);

	if (s == NULL)
		return -1;
	if (s->waiters > 0) {
		errno = EBUSY;
		return -1;
	}
	s->magic = 0;
	free(s);
	*sem = NULL;
	return 0;
}

int
sem_getvalue(sem_t *sem, int *value)
{
	struct sem *s = sem_get(sem);

	if (s == NULL)
		return -1;
	*value = s->count;
	return 0;
}

int
sem_trywait(sem_t *sem)
{
	struct sem *s = sem_get(sem);
	int v;

	if (s == NULL)
		return -1;
	while ((v = s->count) > 0)
		if (atomic_cmpset_int(&s->count, v, v - 1))
			return 0;
	errno = EAGAIN;
	return -1;
}

static int
sem_wait1(sem_t *sem, const struct timespec *abstime)
{
	struct sem *s = sem_get(sem);
	int v, us = 0, past;

	if (s == NULL)
		return -1;
	for (;;) {
		while ((v = s->count) > 0)
			if (atomic_cmpset_int(&s->count, v, v - 1))
				return 0;
		if (abstime != NULL) {
			if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000) {
				errno = EINVAL;
				return -1;
			}
			us = _thr_timeout_us(abstime, &past);
			if (past) {
				errno = ETIMEDOUT;
				return -1;
			}
		}
		__atomic_fetch_add(&s->waiters, 1, __ATOMIC_SEQ_CST);
		umtx_sleep(&s->count, 0, us);
		__atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
	}
}

int
sem_wait(sem_t *sem)
{
	return sem_wait1(sem, NULL);
}

int
sem_timedwait(sem_t *sem, const struct timespec *abstime)
{
	return sem_wait1(sem, abstime);
}

int
sem_post(sem_t *sem)
{
	struct sem *s = sem_get(sem);
	int v;

	if (s == NULL)
		return -1;
	do {
		v = s->count;
		if (v == SEM_VALUE_MAX) {
			errno = EOVERFLOW;
			return -1;
		}
	} while (!atomic_cmpset_int(&s->count, v, v + 1));
	if (s->waiters > 0)
		umtx_wakeup(&s->count, 1);
	return 0;
}

sem_t *
sem_open(const char *name, int oflag, ...)
{
	(void)name; (void)oflag;
	errno = ENOSYS;
	return SEM_FAILED;
}

int
sem_close(sem_t *sem)
{
	(void)sem;
	errno = ENOSYS;
	return -1;
}

int
sem_unlink(const char *name)
{
	(void)name;
	errno = ENOSYS;
	return -1;
}
