/* forklab libc: struct utsname, five 32-byte strings (sys/sys/utsname.h). */
#ifndef _SYS_UTSNAME_H
#define _SYS_UTSNAME_H
#include <sys/cdefs.h>
#define SYS_NMLN 32
struct utsname {
	char sysname[SYS_NMLN];
	char nodename[SYS_NMLN];
	char release[SYS_NMLN];
	char version[SYS_NMLN];
	char machine[SYS_NMLN];
};
__BEGIN_DECLS
int uname(struct utsname *);
__END_DECLS
#endif
