/* forklab libc: DragonFly's CLOCKS_PER_SEC is stathz (128), <machine/limits.h>. */
#ifndef _MACHTIME_H_
#define _MACHTIME_H_
#define _CLOCKS_PER_SEC_ 128
#endif
