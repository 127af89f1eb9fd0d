/* pthread-cond: a producer and two consumers pass 30 items through a one-slot buffer
   guarded by a mutex and two condition variables; each consumer sums what it takes.
   Then pthread_once runs its routine once for three threads, a thread-specific key's
   destructor runs at each thread's exit, a detached thread ends by itself, and a timed
   wait with nobody to signal it ends with ETIMEDOUT. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

/* The errno names (their texts differ between C libraries). */
static const char *
errname(int e)
{
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case EDEADLK: return "EDEADLK";
	case ESRCH: return "ESRCH";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EAGAIN: return "EAGAIN";
	case EINTR: return "EINTR";
	case EFAULT: return "EFAULT";
	default: return "other";
	}
}

#define ITEMS 30

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER, nonfull = PTHREAD_COND_INITIALIZER;
static int slot, full, done;
static long taken[2];
static int count[2];

static void *
producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&m);
		while (full)
			pthread_cond_wait(&nonfull, &m);
		slot = i;
		full = 1;
		pthread_cond_signal(&nonempty);
		pthread_mutex_unlock(&m);
	}
	pthread_mutex_lock(&m);
	while (full)
		pthread_cond_wait(&nonfull, &m);
	done = 1;
	pthread_cond_broadcast(&nonempty);
	pthread_mutex_unlock(&m);
	return NULL;
}

static void *
consumer(void *arg)
{
	long id = (long)arg;

	pthread_mutex_lock(&m);
	for (;;) {
		while (!full && !done)
			pthread_cond_wait(&nonempty, &m);
		if (!full)
			break;
		taken[id] += slot;
		count[id]++;
		full = 0;
		pthread_cond_signal(&nonfull);
		pthread_mutex_unlock(&m);
		for (volatile int j = 0; j < 2000; j++)
			;
		pthread_mutex_lock(&m);
	}
	pthread_mutex_unlock(&m);
	return NULL;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs, destructor_runs;
static pthread_key_t key;

static void once_routine(void) { once_runs++; }
static void destructor(void *v) { (void)v; __atomic_fetch_add(&destructor_runs, 1, __ATOMIC_SEQ_CST); }

static void *
keyed(void *arg)
{
	pthread_once(&once, once_routine);
	pthread_setspecific(key, arg);
	return pthread_getspecific(key) == arg ? arg : NULL;
}

static volatile int detached_ran;
static void *detached(void *arg) { (void)arg; detached_ran = 1; return NULL; }

int
main(void)
{
	pthread_t p, c[2], k[3], d;
	pthread_attr_t attr;

	pthread_create(&c[0], NULL, consumer, (void *)0L);
	pthread_create(&c[1], NULL, consumer, (void *)1L);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c[0], NULL);
	pthread_join(c[1], NULL);
	printf("items %d, sum %ld (expected %d)\n", count[0] + count[1], taken[0] + taken[1], ITEMS * (ITEMS + 1) / 2);

	pthread_key_create(&key, destructor);
	for (long i = 0; i < 3; i++)
		pthread_create(&k[i], NULL, keyed, (void *)(i + 1));
	long ok = 0;
	for (int i = 0; i < 3; i++) {
		void *r;
		pthread_join(k[i], &r);
		ok += r != NULL;
	}
	printf("once ran %d time(s); %ld threads saw their own value; destructors %d\n", once_runs, ok, destructor_runs);

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_create(&d, &attr, detached, NULL);
	pthread_attr_destroy(&attr);
	while (!detached_ran)
		sched_yield();
	printf("detached thread ran; join of it: %s\n", errname(pthread_join(d, NULL)));

	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	int r = pthread_cond_timedwait(&nonempty, &m, &ts);
	pthread_mutex_unlock(&m);
	printf("timed wait with no signal: %s\n", errname(r));
	return 0;
}
