/* forklab libc: __sysctl(2) and the top-level names (sys/sys/sysctl.h 1.26). */
#ifndef _SYS_SYSCTL_H_
#define _SYS_SYSCTL_H_
#include <sys/cdefs.h>
#include <sys/types.h>

#define CTL_MAXNAME 12
#define CTL_KERN 1
#define CTL_VM 2
#define CTL_VFS 3
#define CTL_NET 4
#define CTL_DEBUG 5
#define CTL_HW 6
#define CTL_MACHDEP 7
#define CTL_USER 8
#define KERN_OSTYPE 1
#define KERN_OSRELEASE 2
#define KERN_OSREV 3
#define KERN_VERSION 4
#define KERN_MAXPROC 6
#define KERN_MAXFILES 7
#define KERN_ARGMAX 8
#define KERN_HOSTNAME 10
#define KERN_CLOCKRATE 12
#define KERN_OSRELDATE 24
#define KERN_PS_STRINGS 32
#define KERN_USRSTACK 33
#define HW_MACHINE 1
#define HW_MODEL 2
#define HW_NCPU 3
#define HW_BYTEORDER 4
#define HW_PHYSMEM 5
#define HW_USERMEM 6
#define HW_PAGESIZE 7
#define HW_MACHINE_ARCH 11

__BEGIN_DECLS
int sysctl(const int *, unsigned int, void *, size_t *, const void *, size_t);
__END_DECLS
#endif
