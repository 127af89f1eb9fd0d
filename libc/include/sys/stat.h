/* forklab libc: DragonFly's struct stat (sys/sys/stat.h 1.12), 104 bytes. */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H
#include <sys/cdefs.h>
#include <sys/types.h>
#include <sys/_timespec.h>

struct stat {
	ino_t st_ino;                   /* @0, 64 bits */
	__uint32_t st_nlink;            /* @8 */
	dev_t st_dev;                   /* @12 */
	mode_t st_mode;                 /* @16 */
	__uint16_t st_padding1;
	uid_t st_uid;                   /* @20 */
	gid_t st_gid;                   /* @24 */
	dev_t st_rdev;                  /* @28 */
	struct timespec st_atim;        /* @32 */
	struct timespec st_mtim;        /* @40 */
	struct timespec st_ctim;        /* @48 */
	off_t st_size;                  /* @56 */
	__int64_t st_blocks;            /* @64 */
	__uint32_t st_blksize;          /* @72 */
	__uint32_t st_flags;            /* @76 */
	__uint32_t st_gen;              /* @80 */
	__int32_t st_lspare;            /* @84 */
	__int64_t st_fsmid;             /* @88 */
	__int64_t st_qspare[1];         /* @96 */
} __attribute__((__aligned__(4)));
#define st_atime st_atim.tv_sec
#define st_mtime st_mtim.tv_sec
#define st_ctime st_ctim.tv_sec
#define st_atimespec st_atim
#define st_mtimespec st_mtim
#define st_ctimespec st_ctim

#define S_IFMT 0170000
#define S_IFIFO 0010000
#define S_IFCHR 0020000
#define S_IFDIR 0040000
#define S_IFBLK 0060000
#define S_IFREG 0100000
#define S_IFLNK 0120000
#define S_IFSOCK 0140000
#define S_IFWHT 0160000
#define S_ISUID 0004000
#define S_ISGID 0002000
#define S_ISVTX 0001000
#define S_IRWXU 0000700
#define S_IRUSR 0000400
#define S_IWUSR 0000200
#define S_IXUSR 0000100
#define S_IRWXG 0000070
#define S_IRGRP 0000040
#define S_IWGRP 0000020
#define S_IXGRP 0000010
#define S_IRWXO 0000007
#define S_IROTH 0000004
#define S_IWOTH 0000002
#define S_IXOTH 0000001
#define S_IREAD S_IRUSR
#define S_IWRITE S_IWUSR
#define S_IEXEC S_IXUSR
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)

__BEGIN_DECLS
int stat(const char *__restrict, struct stat *__restrict);
int fstat(int, struct stat *);
int lstat(const char *__restrict, struct stat *__restrict);
int mkdir(const char *, mode_t);
int chmod(const char *, mode_t);
mode_t umask(mode_t);
__END_DECLS
#endif
