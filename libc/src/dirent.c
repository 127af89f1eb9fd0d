/* forklab libc: directory streams over getdirentries(2) (lib/libc/gen/opendir.c,
   readdir.c, telldir.c, closedir.c in DragonFly's manner). A telldir position is the
   directory offset of the buffered block and the record's place in it: (seek << 12) | loc,
   the buffer being 4096 bytes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIRBUF 4096

DIR *fdopendir(int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	DIR *d = malloc(sizeof(*d));
	char *buf = malloc(DIRBUF);
	if (d == NULL || buf == NULL) {
		free(d);
		free(buf);
		errno = ENOMEM;
		return NULL;
	}
	d->dd_fd = fd;
	d->dd_loc = d->dd_size = d->dd_seek = 0;
	d->dd_buf = buf;
	d->dd_len = DIRBUF;
	return d;
}

DIR *opendir(const char *name)
{
	int fd = open(name, O_RDONLY);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (d == NULL) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return d;
}

struct dirent *readdir(DIR *d)
{
	if (d->dd_loc >= d->dd_size) {
		long base;
		int n = getdirentries(d->dd_fd, d->dd_buf, d->dd_len, &base);
		if (n <= 0)
			return NULL;            /* the end, or an error in errno */
		d->dd_seek = base;
		d->dd_size = n;
		d->dd_loc = 0;
	}
	struct dirent *dp = (struct dirent *)(d->dd_buf + d->dd_loc);
	d->dd_loc += _DIRENT_DIRSIZ(dp);
	return dp;
}

int readdir_r(DIR *d, struct dirent *entry, struct dirent **result)
{
	int e = errno;
	errno = 0;
	struct dirent *dp = readdir(d);
	if (dp == NULL && errno != 0)
		return errno;
	errno = e;
	if (dp != NULL)
		*entry = *dp;
	*result = dp == NULL ? NULL : entry;
	return 0;
}

long telldir(DIR *d)
{
	if (d->dd_loc >= d->dd_size)    /* the next record is in the next block */
		return lseek(d->dd_fd, 0, SEEK_CUR) << 12;
	return (d->dd_seek << 12) | d->dd_loc;
}

void seekdir(DIR *d, long pos)
{
	long seek = pos >> 12, loc = pos & 4095;
	d->dd_loc = d->dd_size = 0;
	if (lseek(d->dd_fd, seek, SEEK_SET) < 0)
		return;
	if (loc == 0)
		return;
	/* Refill the block the position is in and step to the record. */
	if (readdir(d) == NULL)
		return;
	d->dd_loc = loc;
}

void rewinddir(DIR *d)
{
	seekdir(d, 0);
}

int dirfd(DIR *d)
{
	return d->dd_fd;
}

int closedir(DIR *d)
{
	int fd = d->dd_fd;
	free(d->dd_buf);
	free(d);
	return close(fd);
}
