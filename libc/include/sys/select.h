/* forklab libc: DragonFly's fd_set (sys/sys/select.h 1.10): FD_SETSIZE 1024 in 32-bit
   words, fd n = bit n % 32 of word n / 32. */
#ifndef _SYS_SELECT_H
#define _SYS_SELECT_H
#include <sys/cdefs.h>
#include <sys/_sigset.h>
#include <sys/_timeval.h>
#include <sys/timespec.h>

#define _SYS_TYPES_FD_SET
#ifndef FD_SETSIZE
#define FD_SETSIZE 1024
#endif
typedef unsigned int fd_mask;
#define NFDBITS 32
#ifndef _howmany
#define _howmany(x, y) (((x) + ((y) - 1)) / (y))
#endif
typedef struct fd_set {
	fd_mask fds_bits[_howmany(FD_SETSIZE, NFDBITS)];
} fd_set;
#define FD_SET(n, p) ((p)->fds_bits[(n) / NFDBITS] |= (1U << ((n) % NFDBITS)))
#define FD_CLR(n, p) ((p)->fds_bits[(n) / NFDBITS] &= ~(1U << ((n) % NFDBITS)))
#define FD_ISSET(n, p) (((p)->fds_bits[(n) / NFDBITS] & (1U << ((n) % NFDBITS))) != 0)
#define FD_ZERO(p) __builtin_memset((p), 0, sizeof(*(p)))

__BEGIN_DECLS
int select(int, fd_set *, fd_set *, fd_set *, struct timeval *);
__END_DECLS
#endif
