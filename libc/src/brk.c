/* forklab libc: brk and sbrk over break(2) (lib/libc/i386/sys/{brk,sbrk}.S): the byte
   break starts at _end, the end of bss, and never goes below it; the kernel maps whole
   pages. malloc grows the heap with sbrk. */
#include <errno.h>
#include <stddef.h>
#include <unistd.h>

int __sys_break(const void *);

extern char _end[];
static char *curbrk = _end;

int brk(const void *addr)
{
	const char *a = addr;
	if (a < _end)
		a = _end;
	if (__sys_break(a) == -1)
		return -1;
	curbrk = (char *)a;
	return 0;
}

void *sbrk(ptrdiff_t incr)
{
	char *old = curbrk;
	if (incr != 0) {
		if ((incr > 0 && (size_t)incr > (size_t)-1 - (size_t)old) ||
		    (incr < 0 && (size_t)-incr > (size_t)(old - _end))) {
			errno = ENOMEM;
			return (void *)-1;
		}
		if (__sys_break(old + incr) == -1)
			return (void *)-1;
		curbrk = old + incr;
	}
	return old;
}
