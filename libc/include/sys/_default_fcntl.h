/* forklab libc: DragonFly's open(2)/fcntl(2) values (sys/sys/fcntl.h 1.14). */
#ifndef _SYS__DEFAULT_FCNTL_H_
#define _SYS__DEFAULT_FCNTL_H_
#include <sys/cdefs.h>
#include <sys/types.h>

#define O_RDONLY 0x0000
#define O_WRONLY 0x0001
#define O_RDWR 0x0002
#define O_ACCMODE 0x0003
#define O_NONBLOCK 0x0004
#define O_NDELAY O_NONBLOCK
#define O_APPEND 0x0008
#define O_SHLOCK 0x0010
#define O_EXLOCK 0x0020
#define O_ASYNC 0x0040
#define O_FSYNC 0x0080
#define O_SYNC 0x0080
#define O_NOFOLLOW 0x0100
#define O_CREAT 0x0200
#define O_TRUNC 0x0400
#define O_EXCL 0x0800
#define O_NOCTTY 0x8000
#define O_DIRECT 0x00010000
#define _FOPEN (-1)
#define _FREAD 0x0001
#define _FWRITE 0x0002
#define _FAPPEND O_APPEND
#define _FCREAT O_CREAT
#define _FTRUNC O_TRUNC
#define _FEXCL O_EXCL
#define _FNONBLOCK O_NONBLOCK
#define _FNDELAY O_NONBLOCK
#define _FNOCTTY O_NOCTTY
#define FAPPEND O_APPEND
#define FNONBLOCK O_NONBLOCK

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETOWN 5
#define F_SETOWN 6
#define F_GETLK 7
#define F_SETLK 8
#define F_SETLKW 9
#define FD_CLOEXEC 1
#define F_RDLCK 1
#define F_UNLCK 2
#define F_WRLCK 3

struct flock {
	off_t l_start;
	off_t l_len;
	pid_t l_pid;
	short l_type;
	short l_whence;
};

__BEGIN_DECLS
int open(const char *, int, ...);
int creat(const char *, mode_t);
int fcntl(int, int, ...);
__END_DECLS
#endif
