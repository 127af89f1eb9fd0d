/* pthread-mutex: four POSIX threads add to one counter under a statically initialized
   mutex, each read-modify-write stretched by a busy loop so the scheduler's preemption
   lands inside it and the others contend (and sleep in umtx_sleep). Each thread returns a
   value through pthread_join. Also the mutex's error answers: trylock on a held mutex,
   unlock by a thread that does not hold it, relock by the holder (DragonFly's default
   mutex is the error-checking kind). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

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

#define NTHREADS 4
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void *
adder(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		int c = counter;
		for (volatile int j = 0; j < 40; j++)
			;
		counter = c + 1;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(id * 100);
}

static void *
try_other(void *arg)
{
	(void)arg;
	int t = pthread_mutex_trylock(&lock);
	int u = pthread_mutex_unlock(&lock);
	printf("from another thread: trylock %s, unlock %s\n", errname(t), errname(u));
	return NULL;
}

int
main(void)
{
	pthread_t t[NTHREADS], other;
	long sum = 0;

	for (long i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, adder, (void *)i) != 0) {
			printf("pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < NTHREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	printf("counter %d (expected %d), returned values sum to %ld\n", counter, NTHREADS * ROUNDS, sum);

	pthread_mutex_lock(&lock);
	printf("relock by the holder: %s\n", errname(pthread_mutex_lock(&lock)));
	pthread_create(&other, NULL, try_other, NULL);
	pthread_join(other, NULL);
	printf("join of itself: %s\n", errname(pthread_join(pthread_self(), NULL)));
	printf("unlock by the holder: %d\n", pthread_mutex_unlock(&lock));
	printf("trylock when free: %d\n", pthread_mutex_trylock(&lock));
	return 0;
}
