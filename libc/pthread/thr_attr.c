/* forklab libpthread: thread attributes (detach state and stack size). */
#include <stdlib.h>
#include "thr_private.h"

int
pthread_attr_init(pthread_attr_t *attr)
{
	struct pthread_attr *a = malloc(sizeof(*a));

	if (a == NULL)
		return ENOMEM;
	a->detachstate = PTHREAD_CREATE_JOINABLE;
	a->stacksize = THR_STACK_DEFAULT;
	*attr = a;
	return 0;
}

int
pthread_attr_destroy(pthread_attr_t *attr)
{
	if (attr == NULL || *attr == NULL)
		return EINVAL;
	free(*attr);
	*attr = NULL;
	return 0;
}

int
pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (attr == NULL || *attr == NULL ||
	    (state != PTHREAD_CREATE_DETACHED && state != PTHREAD_CREATE_JOINABLE))
		return EINVAL;
	(*attr)->detachstate = state;
	return 0;
}

int
pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	if (attr == NULL || *attr == NULL || state == NULL)
		return EINVAL;
	*state = (*attr)->detachstate;
	return 0;
}

int
pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (attr == NULL || *attr == NULL || size < PTHREAD_STACK_MIN)
		return EINVAL;
	(*attr)->stacksize = (size + 4095) & ~(size_t)4095;
	return 0;
}

int
pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	if (attr == NULL || *attr == NULL || size == NULL)
		return EINVAL;
	*size = (*attr)->stacksize;
	return 0;
}
