/* forklab libpthread: thread-specific data. PTHREAD_KEYS_MAX keys, each with a
   destructor; a thread's values live in its struct pthread. At thread exit, destructors
   run for non-NULL values, up to PTHREAD_DESTRUCTOR_ITERATIONS rounds. */
#include "thr_private.h"

static struct {
	int allocated;
	void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];
static umtx_t keys_lock;

int
pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	int i;

	_thr_umtx_lock(&keys_lock);
	for (i = 0; i < PTHREAD_KEYS_MAX; i++) {
		if (!keys[i].allocated) {
			keys[i].allocated = 1;
			keys[i].destructor = destructor;
			_thr_umtx_unlock(&keys_lock);
			*key = i;
			return 0;
		}
	}
	_thr_umtx_unlock(&keys_lock);
	return EAGAIN;
}

int
pthread_key_delete(pthread_key_t key)
{
	struct pthread *t;

	if (key < 0 || key >= PTHREAD_KEYS_MAX || !keys[key].allocated)
		return EINVAL;
	_thr_umtx_lock(&keys_lock);
	keys[key].allocated = 0;
	keys[key].destructor = NULL;
	_thr_umtx_unlock(&keys_lock);
	_thr_umtx_lock(&_thr_list_lock);
	for (t = _thr_list; t != NULL; t = t->next)
		t->specific[key] = NULL;
	_thr_umtx_unlock(&_thr_list_lock);
	_thr_self()->specific[key] = NULL;
	return 0;
}

void *
pthread_getspecific(pthread_key_t key)
{
	if (key < 0 || key >= PTHREAD_KEYS_MAX)
		return NULL;
	return (void *)_thr_self()->specific[key];
}

int
pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key < 0 || key >= PTHREAD_KEYS_MAX || !keys[key].allocated)
		return EINVAL;
	_thr_self()->specific[key] = value;
	return 0;
}

void
_thr_key_destroy_all(struct pthread *t)
{
	int i, round, again;
	void *v;

	for (round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		again = 0;
		for (i = 0; i < PTHREAD_KEYS_MAX; i++) {
			if (t->specific[i] == NULL || !keys[i].allocated || keys[i].destructor == NULL)
				continue;
			v = (void *)t->specific[i];
			t->specific[i] = NULL;
			keys[i].destructor(v);
			again = 1;
		}
		if (!again)
			break;
	}
}
