/* forklab libc: DragonFly's per-thread TLS descriptors (sys/sys/tls.h 1.8). */
#ifndef _SYS_TLS_H_
#define _SYS_TLS_H_
#include <sys/types.h>

struct tls_info {
	void *base;
	int size;	/* -1: the whole 4 GiB, so negative %gs offsets work */
};

int set_tls_area(int which, struct tls_info *info, size_t infosize);
int get_tls_area(int which, struct tls_info *info, size_t infosize);
#endif
