/* forklab libc: newlib's <time.h> with DragonFly's clock ids (sys/sys/time.h 1.18):
   CLOCK_REALTIME 0, CLOCK_VIRTUAL 1, CLOCK_PROF 2, CLOCK_MONOTONIC 4. */
#ifndef _FORKLAB_TIME_H_
#define _FORKLAB_TIME_H_
#include_next <time.h>
#undef CLOCK_REALTIME
#undef CLOCK_MONOTONIC
#undef CLOCK_PROCESS_CPUTIME_ID
#undef CLOCK_THREAD_CPUTIME_ID
#define CLOCK_REALTIME ((clockid_t)0)
#define CLOCK_VIRTUAL ((clockid_t)1)
#define CLOCK_PROF ((clockid_t)2)
#define CLOCK_MONOTONIC ((clockid_t)4)
#define CLK_TCK 128

/* DragonFly has these system calls; newlib declares them only for its POSIX-timer targets. */
_BEGIN_STD_C
int nanosleep(const struct timespec *, struct timespec *);
int clock_gettime(clockid_t, struct timespec *);
int clock_getres(clockid_t, struct timespec *);
_END_STD_C
#endif
