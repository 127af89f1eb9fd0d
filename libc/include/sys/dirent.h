/* forklab libc: struct dirent and DIR as DragonFly had them in 2008 (sys/sys/dirent.h 1.7,
   lib/libc/gen/opendir.c): 64-bit d_ino, no d_reclen (a record's length follows from its
   name), read with getdirentries(2). newlib's <dirent.h> includes this file and declares
   the functions (libc/src/dirent.c). */
#ifndef _SYS_DIRENT_H_
#define _SYS_DIRENT_H_

#include <sys/types.h>
#include <stdint.h>

#define MAXNAMLEN 255

struct dirent {
	ino_t d_ino;                    /* @0 */
	uint16_t d_namlen;              /* @8 */
	uint8_t d_type;                 /* @10 */
	uint8_t d_unused1;
	uint32_t d_unused2;
	char d_name[MAXNAMLEN + 1];     /* @16, NUL-terminated */
};
#define d_fileno d_ino

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12
#define DT_WHT 14

/* The length of a record with a name of namlen bytes, and of the record dp. */
#define _DIRENT_RECLEN(namlen) ((16 + (namlen) + 1 + 7) & ~7)
#define _DIRENT_DIRSIZ(dp) _DIRENT_RECLEN((dp)->d_namlen)

/* A directory stream: its descriptor and a buffer of records read with getdirentries. */
typedef struct _dirdesc {
	int dd_fd;
	long dd_loc;                    /* where the next record is in dd_buf */
	long dd_size;                   /* bytes in dd_buf */
	char *dd_buf;
	int dd_len;                     /* dd_buf's size */
	long dd_seek;                   /* the directory offset of dd_buf's first record */
} DIR;

int getdirentries(int, char *, int, long *);

#endif
