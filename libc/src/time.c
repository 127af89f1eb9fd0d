/* forklab libc: the time calls that are library code (lib/libc/gen/{sleep,usleep,alarm,
   clock,times}.c): sleep and usleep are nanosleep(2), alarm is setitimer(2), clock and
   times read getrusage(2) in ticks of CLK_TCK (stathz, 128). */
#include <errno.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

unsigned sleep(unsigned seconds)
{
	struct timespec ts, rem;
	if (seconds > INT_MAX)        /* the kernel's tv_sec is a long */
		seconds = INT_MAX;
	ts.tv_sec = seconds;
	ts.tv_nsec = 0;
	if (nanosleep(&ts, &rem) != -1)
		return 0;
	if (errno != EINTR)
		return seconds;
	return rem.tv_sec + (rem.tv_nsec != 0);
}

int usleep(useconds_t usec)
{
	struct timespec ts;
	ts.tv_sec = usec / 1000000;
	ts.tv_nsec = (usec % 1000000) * 1000;
	return nanosleep(&ts, NULL);
}

unsigned alarm(unsigned seconds)
{
	struct itimerval it, oit;
	it.it_interval.tv_sec = 0;
	it.it_interval.tv_usec = 0;
	it.it_value.tv_sec = seconds;
	it.it_value.tv_usec = 0;
	if (setitimer(ITIMER_REAL, &it, &oit) < 0)
		return (unsigned)-1;
	if (oit.it_value.tv_usec != 0)
		oit.it_value.tv_sec++;
	return oit.it_value.tv_sec;
}

#define TICKS(tv) ((clock_t)(tv).tv_sec * CLK_TCK + (tv).tv_usec / (1000000 / CLK_TCK))

clock_t clock(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return (clock_t)-1;
	return TICKS(ru.ru_utime) + TICKS(ru.ru_stime);
}

clock_t times(struct tms *tp)
{
	struct rusage ru;
	struct timeval t;
	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return (clock_t)-1;
	tp->tms_utime = TICKS(ru.ru_utime);
	tp->tms_stime = TICKS(ru.ru_stime);
	if (getrusage(RUSAGE_CHILDREN, &ru) < 0)
		return (clock_t)-1;
	tp->tms_cutime = TICKS(ru.ru_utime);
	tp->tms_cstime = TICKS(ru.ru_stime);
	if (gettimeofday(&t, NULL) < 0)
		return (clock_t)-1;
	return TICKS(t);
}
