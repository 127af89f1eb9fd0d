/* forklab libc: DragonFly's lwp_create(2) parameters (sys/sys/unistd.h 1.9 era),
   20 bytes: func @0, arg @4, stack @8, tid1 @12, tid2 @16. */
#ifndef _SYS_LWP_H_
#define _SYS_LWP_H_
#include <sys/types.h>

typedef int lwpid_t;
struct lwp_params {
	void (*func)(void *);
	void *arg;
	void *stack;
	lwpid_t *tid1;
	lwpid_t *tid2;
};
#endif
