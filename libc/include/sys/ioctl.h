/* forklab libc: the ioctl(2) commands a C program on the console asks
   (sys/sys/ioccom.h 1.4, ttycom.h 1.3, filio.h). */
#ifndef _SYS_IOCTL_H_
#define _SYS_IOCTL_H_
#include <sys/cdefs.h>

#define IOCPARM_MASK 0x1fff
#define IOC_VOID 0x20000000UL
#define IOC_OUT 0x40000000UL
#define IOC_IN 0x80000000UL
#define IOC_INOUT (IOC_IN | IOC_OUT)
#define _IOC(inout, group, num, len) \
	((unsigned long)((inout) | (((len) & IOCPARM_MASK) << 16) | ((group) << 8) | (num)))
#define _IO(g, n) _IOC(IOC_VOID, (g), (n), 0)
#define _IOR(g, n, t) _IOC(IOC_OUT, (g), (n), sizeof(t))
#define _IOW(g, n, t) _IOC(IOC_IN, (g), (n), sizeof(t))
#define _IOWR(g, n, t) _IOC(IOC_INOUT, (g), (n), sizeof(t))

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#define TIOCGETA 0x402C7413UL
#define TIOCSETA 0x802C7414UL
#define TIOCSETAW 0x802C7415UL
#define TIOCSETAF 0x802C7416UL
#define TIOCGWINSZ 0x40087468UL
#define TIOCSWINSZ 0x80087467UL
#define TIOCGPGRP 0x40047477UL
#define TIOCSPGRP 0x80047476UL
#define TIOCSCTTY 0x20007461UL
#define FIONREAD 0x4004667FUL
#define FIONBIO 0x8004667EUL
#define FIOCLEX 0x20006601UL

__BEGIN_DECLS
int ioctl(int, unsigned long, ...);
__END_DECLS
#endif
