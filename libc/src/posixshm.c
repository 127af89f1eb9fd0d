/* forklab libc: POSIX shared memory as DragonFly's libc made it in 2008
   (lib/libc/gen/posixshm.c, from FreeBSD 4): a shared memory object is a regular file
   opened by its name, mapped with MAP_SHARED; shm_unlink removes the name. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int shm_open(const char *path, int flags, mode_t mode)
{
	if ((flags & O_ACCMODE) == O_WRONLY) {
		errno = EINVAL;
		return -1;
	}
	int fd = open(path, flags, mode);
	if (fd == -1)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

int shm_unlink(const char *path)
{
	return unlink(path);
}
