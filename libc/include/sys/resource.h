/* forklab libc: DragonFly's getrusage/getrlimit (sys/sys/resource.h 1.9). */
#ifndef _SYS_RESOURCE_H_
#define _SYS_RESOURCE_H_
#include <sys/cdefs.h>
#include <sys/types.h>
#include <sys/time.h>

#define PRIO_MIN (-20)
#define PRIO_MAX 20
#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)

struct rusage {                     /* 72 bytes */
	struct timeval ru_utime;
	struct timeval ru_stime;
	long ru_maxrss;
#define ru_first ru_ixrss
	long ru_ixrss;
	long ru_idrss;
	long ru_isrss;
	long ru_minflt;
	long ru_majflt;
	long ru_nswap;
	long ru_inblock;
	long ru_oublock;
	long ru_msgsnd;
	long ru_msgrcv;
	long ru_nsignals;
	long ru_nvcsw;
	long ru_nivcsw;
#define ru_last ru_nivcsw
};

#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_MEMLOCK 6
#define RLIMIT_NPROC 7
#define RLIMIT_NOFILE 8
#define RLIMIT_SBSIZE 9
#define RLIMIT_AS 10
#define RLIMIT_VMEM RLIMIT_AS
#define RLIMIT_POSIXLOCKS 11
#define RLIM_NLIMITS 12

typedef __int64_t rlim_t;
#define RLIM_INFINITY ((rlim_t)(((__uint64_t)1 << 63) - 1))

struct rlimit {                     /* two int64: cur, max */
	rlim_t rlim_cur;
	rlim_t rlim_max;
};

__BEGIN_DECLS
int getrusage(int, struct rusage *);
int getrlimit(int, struct rlimit *);
int setrlimit(int, const struct rlimit *);
int getpriority(int, int);
int setpriority(int, int, int);
__END_DECLS
#endif
