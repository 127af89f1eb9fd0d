/* forklab libc: DragonFly's <libgen.h> (include/libgen.h, 2008): basename and dirname
   take a const string and answer in a static buffer of their own (lib/libc/gen/
   basename.c, dirname.c), where newlib's POSIX-2008 versions may write into the path. */
#ifndef _LIBGEN_H_
#define _LIBGEN_H_
#include <sys/cdefs.h>

__BEGIN_DECLS
char *basename(const char *);
char *dirname(const char *);
__END_DECLS

#endif
