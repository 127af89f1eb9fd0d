/* forklab libc: DragonFly's sigset_t, four 32-bit words (sys/sys/signal.h 1.6).
   Signal s is bit (s - 1) & 31 of word (s - 1) >> 5. */
#ifndef _SYS__SIGSET_H_
#define _SYS__SIGSET_H_
typedef struct __sigset {
	unsigned int __bits[4];
} __sigset_t;
#endif
