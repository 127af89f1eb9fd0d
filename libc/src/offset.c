/* forklab libc: the calls whose off_t the kernel takes after a pad word (reference §2):
   lseek, mmap, truncate, ftruncate go through __sys_* entries (syscalls.S) that pass the
   kernel's own argument list. */
#include <sys/types.h>
#include <sys/mman.h>
#include <unistd.h>

off_t __sys_lseek(int, int, off_t, int);
void *__sys_mmap(void *, size_t, int, int, int, int, off_t);
int __sys_truncate(const char *, int, off_t);
int __sys_ftruncate(int, int, off_t);

off_t lseek(int fd, off_t offset, int whence)
{
	return __sys_lseek(fd, 0, offset, whence);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	return __sys_mmap(addr, len, prot, flags, fd, 0, offset);
}

int truncate(const char *path, off_t length)
{
	return __sys_truncate(path, 0, length);
}

int ftruncate(int fd, off_t length)
{
	return __sys_ftruncate(fd, 0, length);
}
