/* forklab libpthread: pthread_once. The state word goes NEEDS_INIT -> IN_PROGRESS (one
   caller runs the routine) -> DONE_INIT; callers that find it in progress sleep on it. */
#include "thr_private.h"

#define ONCE_IN_PROGRESS	2
#define ONCE_WAIT		3	/* in progress, with sleepers */

int
pthread_once(pthread_once_t *once, void (*routine)(void))
{
	volatile int *state;
	int v;

	if (once == NULL || routine == NULL)
		return EINVAL;
	state = &once->state;
	for (;;) {
		v = *state;
		if (v == PTHREAD_DONE_INIT)
			return 0;
		if (v == PTHREAD_NEEDS_INIT) {
			if (atomic_cmpset_int(state, PTHREAD_NEEDS_INIT, ONCE_IN_PROGRESS))
				break;
			continue;
		}
		if (v == ONCE_IN_PROGRESS && !atomic_cmpset_int(state, ONCE_IN_PROGRESS, ONCE_WAIT))
			continue;
		umtx_sleep(state, ONCE_WAIT, 0);
	}
	routine();
	if (atomic_swap_int(state, PTHREAD_DONE_INIT) == ONCE_WAIT)
		umtx_wakeup(state, 0);
	return 0;
}
