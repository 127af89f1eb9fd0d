/* forklab libc: DragonFly's i386 widths for the types the kernel sees (newlib's
   sys/_types.h asks for these through the __machine_*_defined hooks). */
#ifndef _MACHINE__TYPES_H
#define _MACHINE__TYPES_H
#include <machine/_default_types.h>

#define __machine_off_t_defined
typedef __int64_t _off_t;               /* off_t: 64 bits, as every BSD */
#define __machine_fpos_t_defined
typedef __int64_t _fpos_t;
#define __machine_dev_t_defined
typedef __uint32_t __dev_t;             /* udev_t */
#define __machine_uid_t_defined
typedef __uint32_t __uid_t;
#define __machine_gid_t_defined
typedef __uint32_t __gid_t;
#define __machine_ino_t_defined
typedef __uint64_t __ino_t;             /* 64-bit inodes since DragonFly 1.11 */
#define __machine_mode_t_defined
typedef __uint16_t __mode_t;
#define __machine_blkcnt_t_defined
typedef __int64_t __blkcnt_t;
#define __machine_blksize_t_defined
typedef __uint32_t __blksize_t;
#define __machine_key_t_defined
typedef long __key_t;
#endif
