#ifdef __cplusplus
extern "C" {
#endif

#include <_ansi.h>

/* The utime function is defined in libc/sys/<arch>/sys if it exists. */
#include <sys/utime.h>

#ifdef __cplusplus
}
#endif
