/* forklab libc: DragonFly's userland mutex system calls (kern_umtx.c 1.7, umtx.2). */
#ifndef _SYS_UMTX_H_
#define _SYS_UMTX_H_
int umtx_sleep(const volatile int *ptr, int value, int timeout);
int umtx_wakeup(const volatile int *ptr, int count);
#endif
