/* lwp-threads: four threads made with DragonFly's lwp_create(2), each on its own stack;
   each stores its tid and a square in its slot and ends with extexit(2) for its LWP
   only. The main thread waits for every slot, then the process exits. */
#include <stdio.h>
#include <sys/lwp.h>
#include <unistd.h>

#define NTHREADS 4
#define STACK 16384

static char stacks[NTHREADS][STACK] __attribute__((aligned(16)));
static volatile int result[NTHREADS];
static volatile lwpid_t tids[NTHREADS];

static void worker(void *arg)
{
	int i = (int)(long)arg;
	tids[i] = lwp_gettid();
	result[i] = (i + 1) * (i + 1);
	extexit(EXTEXIT_SIMPLE | EXTEXIT_LWP, 0, NULL);
}

int main(void)
{
	for (int i = 0; i < NTHREADS; i++) {
		lwpid_t tid;
		struct lwp_params params = { worker, (void *)(long)i, stacks[i] + STACK, &tid, NULL };
		if (lwp_create(&params) < 0) {
			perror("lwp_create");
			return 1;
		}
	}
	for (int i = 0; i < NTHREADS; i++)
		while (result[i] == 0)
			;
	int sum = 0, distinct = 1;
	for (int i = 0; i < NTHREADS; i++) {
		sum += result[i];
		for (int j = 0; j < i; j++)
			if (tids[j] == tids[i])
				distinct = 0;
	}
	printf("main thread tid %d\n", lwp_gettid());
	printf("threads %d, sum of squares %d, tids distinct and non-zero: %s\n", NTHREADS, sum,
	       distinct && tids[0] != 0 ? "yes" : "no");
	return 0;
}
