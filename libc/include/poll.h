/* forklab libc: <poll.h> is DragonFly's <sys/poll.h>. */
#include <sys/poll.h>
