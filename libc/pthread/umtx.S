/* forklab libpthread: the system calls the thread library traps with (SYS.h stubs).
   DragonFly's libc has them; here they come with -lpthread. */
#include "../src/SYS.h"

RSYSCALL(umtx_sleep)
RSYSCALL(umtx_wakeup)
RSYSCALL(set_tls_area)
RSYSCALL(get_tls_area)
