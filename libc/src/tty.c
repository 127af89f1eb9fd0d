/* forklab libc: isatty(fd) is whether ioctl(fd, TIOCGETA) succeeds (lib/libc/gen/
   isatty.c over tcgetattr). newlib's stdio line-buffers a stream when fstat says
   S_IFCHR and isatty agrees, as DragonFly's makebuf.c does. */
#include <sys/ioctl.h>
#include <unistd.h>

int isatty(int fd)
{
	unsigned char termios[44];            /* struct termios (sys/termios.h) */
	return ioctl(fd, TIOCGETA, termios) == 0;
}
