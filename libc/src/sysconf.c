/* forklab libc: the configuration calls that are library code over __sysctl(2) and
   getrlimit(2) (lib/libc/gen/{sysctl,getpagesize,sysconf,uname}.c). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>

int __sys___sysctl(const int *, unsigned int, void *, size_t *, const void *, size_t);

int sysctl(const int *name, unsigned int namelen, void *old, size_t *oldlenp,
	   const void *new, size_t newlen)
{
	return __sys___sysctl(name, namelen, old, oldlenp, new, newlen);
}

static int sysctl_int(int top, int leaf, int *value)
{
	int mib[2] = { top, leaf };
	size_t len = sizeof(*value);
	return sysctl(mib, 2, value, &len, NULL, 0);
}

int getpagesize(void)
{
	static int pagesize;
	if (pagesize == 0 && sysctl_int(CTL_HW, HW_PAGESIZE, &pagesize) < 0)
		return -1;
	return pagesize;
}

static long rlimit_cur(int which)
{
	struct rlimit rl;
	if (getrlimit(which, &rl) < 0)
		return -1;
	return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 0x7fffffff ? -1 : (long)rl.rlim_cur;
}

long sysconf(int name)
{
	int v;
	switch (name) {
	case _SC_ARG_MAX:
		return sysctl_int(CTL_KERN, KERN_ARGMAX, &v) < 0 ? -1 : v;
	case _SC_CHILD_MAX:
		return rlimit_cur(RLIMIT_NPROC);
	case _SC_CLK_TCK:
		return 128;                   /* CLK_TCK: stathz */
	case _SC_NGROUPS_MAX:
		return 16;
	case _SC_OPEN_MAX:
		return rlimit_cur(RLIMIT_NOFILE);
	case _SC_JOB_CONTROL:
	case _SC_SAVED_IDS:
		return 1;
	case _SC_VERSION:
		return 200112L;
	case _SC_PAGESIZE:
		return getpagesize();
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return sysctl_int(CTL_HW, HW_NCPU, &v) < 0 ? -1 : v;
	case _SC_STREAM_MAX:
		return 20;                    /* FOPEN_MAX */
	case _SC_TZNAME_MAX:
		return 255;
	default:
		errno = EINVAL;
		return -1;
	}
}

static void sysctl_string(int top, int leaf, char *buf, size_t size)
{
	int mib[2] = { top, leaf };
	size_t len = size;
	if (sysctl(mib, 2, buf, &len, NULL, 0) < 0 && errno != ENOMEM)
		buf[0] = '\0';
	buf[size - 1] = '\0';
}

int uname(struct utsname *u)
{
	sysctl_string(CTL_KERN, KERN_OSTYPE, u->sysname, sizeof(u->sysname));
	sysctl_string(CTL_KERN, KERN_HOSTNAME, u->nodename, sizeof(u->nodename));
	sysctl_string(CTL_KERN, KERN_OSRELEASE, u->release, sizeof(u->release));
	sysctl_string(CTL_KERN, KERN_VERSION, u->version, sizeof(u->version));
	for (char *p = u->version; *p; p++)       /* one line: newlines and tabs become spaces */
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	sysctl_string(CTL_HW, HW_MACHINE, u->machine, sizeof(u->machine));
	return 0;
}
