/* forklab libc: where the stubs' error path (__cerror in misc.S) stores the errno. */
#include <errno.h>

int __seterrno(int e);

int __seterrno(int e)
{
	errno = e;
	return -1;
}
