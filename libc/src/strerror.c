/* forklab libc: the error messages of DragonFly's libc (lib/libc/gen/errlst.c, 2008),
   the 4.4BSD texts, where newlib has texts of its own ("Not enough space" for
   ENOMEM, "No more processes" for EAGAIN). strerror, and newlib's perror and
   strerror_r through _strerror_r, give these. A number without a text gives
   "Unknown error: N" (lib/libc/string/strerror.c), and strerror sets errno to EINVAL. */
#include <errno.h>
#include <reent.h>
#include <string.h>

static const char *const errlist[] = {
	"Undefined error: 0",                   /* 0 */
	"Operation not permitted",              /* EPERM */
	"No such file or directory",            /* ENOENT */
	"No such process",                      /* ESRCH */
	"Interrupted system call",              /* EINTR */
	"Input/output error",                   /* EIO */
	"Device not configured",                /* ENXIO */
	"Argument list too long",               /* E2BIG */
	"Exec format error",                    /* ENOEXEC */
	"Bad file descriptor",                  /* EBADF */
	"No child processes",                   /* ECHILD 10 */
	"Resource deadlock avoided",            /* EDEADLK */
	"Cannot allocate memory",               /* ENOMEM */
	"Permission denied",                    /* EACCES */
	"Bad address",                          /* EFAULT */
	"Block device required",                /* ENOTBLK */
	"Device busy",                          /* EBUSY */
	"File exists",                          /* EEXIST */
	"Cross-device link",                    /* EXDEV */
	"Operation not supported by device",    /* ENODEV */
	"Not a directory",                      /* ENOTDIR 20 */
	"Is a directory",                       /* EISDIR */
	"Invalid argument",                     /* EINVAL */
	"Too many open files in system",        /* ENFILE */
	"Too many open files",                  /* EMFILE */
	"Inappropriate ioctl for device",       /* ENOTTY */
	"Text file busy",                       /* ETXTBSY */
	"File too large",                       /* EFBIG */
	"No space left on device",              /* ENOSPC */
	"Illegal seek",                         /* ESPIPE */
	"Read-only file system",                /* EROFS 30 */
	"Too many links",                       /* EMLINK */
	"Broken pipe",                          /* EPIPE */
	"Numerical argument out of domain",     /* EDOM */
	"Result too large",                     /* ERANGE */
	"Resource temporarily unavailable",     /* EAGAIN */
	"Operation now in progress",            /* EINPROGRESS */
	"Operation already in progress",        /* EALREADY */
	"Socket operation on non-socket",       /* ENOTSOCK */
	"Destination address required",         /* EDESTADDRREQ */
	"Message too long",                     /* EMSGSIZE 40 */
	"Protocol wrong type for socket",       /* EPROTOTYPE */
	"Protocol not available",               /* ENOPROTOOPT */
	"Protocol not supported",               /* EPROTONOSUPPORT */
	"Socket type not supported",            /* ESOCKTNOSUPPORT */
	"Operation not supported",              /* EOPNOTSUPP */
	"Protocol family not supported",        /* EPFNOSUPPORT */
	"Address family not supported by protocol family", /* EAFNOSUPPORT */
	"Address already in use",               /* EADDRINUSE */
	"Can't assign requested address",       /* EADDRNOTAVAIL */
	"Network is down",                      /* ENETDOWN 50 */
	"Network is unreachable",               /* ENETUNREACH */
	"Network dropped connection on reset",  /* ENETRESET */
	"Software caused connection abort",     /* ECONNABORTED */
	"Connection reset by peer",             /* ECONNRESET */
	"No buffer space available",            /* ENOBUFS */
	"Socket is already connected",          /* EISCONN */
	"Socket is not connected",              /* ENOTCONN */
	"Can't send after socket shutdown",     /* ESHUTDOWN */
	"Too many references: can't splice",    /* ETOOMANYREFS */
	"Operation timed out",                  /* ETIMEDOUT 60 */
	"Connection refused",                   /* ECONNREFUSED */
	"Too many levels of symbolic links",    /* ELOOP */
	"File name too long",                   /* ENAMETOOLONG */
	"Host is down",                         /* EHOSTDOWN */
	"No route to host",                     /* EHOSTUNREACH */
	"Directory not empty",                  /* ENOTEMPTY */
	"Too many processes",                   /* EPROCLIM */
	"Too many users",                       /* EUSERS */
	"Disc quota exceeded",                  /* EDQUOT */
	"Stale NFS file handle",                /* ESTALE 70 */
	"Too many levels of remote in path",    /* EREMOTE */
	"RPC struct is bad",                    /* EBADRPC */
	"RPC version wrong",                    /* ERPCMISMATCH */
	"RPC prog. not avail",                  /* EPROGUNAVAIL */
	"Program version wrong",                /* EPROGMISMATCH */
	"Bad procedure for program",            /* EPROCUNAVAIL */
	"No locks available",                   /* ENOLCK */
	"Function not implemented",             /* ENOSYS */
	"Inappropriate file type or format",    /* EFTYPE */
	"Authentication error",                 /* EAUTH 80 */
	"Need authenticator",                   /* ENEEDAUTH */
	"Identifier removed",                   /* EIDRM */
	"No message of desired type",           /* ENOMSG */
	"Value too large to be stored in data type", /* EOVERFLOW */
	"Operation canceled",                   /* ECANCELED */
	"Illegal byte sequence",                /* EILSEQ */
	"Attribute not found",                  /* ENOATTR */
	"Programming error",                    /* EDOOFUS 88 */
};
#define NERR ((int)(sizeof(errlist) / sizeof(errlist[0])))

/* "Unknown error: N" in buf, without stdio (as DragonFly's strerror_r). */
static char *unknown_error(char *buf, int errnum)
{
	static const char prefix[] = "Unknown error: ";
	unsigned int n = errnum < 0 ? -(unsigned int)errnum : (unsigned int)errnum;
	char digits[12], *d = digits + sizeof(digits);
	char *p = buf + sizeof(prefix) - 1;

	*--d = '\0';
	do
		*--d = '0' + n % 10;
	while ((n /= 10) != 0);
	if (errnum < 0)
		*--d = '-';
	memcpy(buf, prefix, sizeof(prefix) - 1);
	strcpy(p, d);
	return buf;
}

/* newlib's entry (perror, strerror_r): the text, or "Unknown error: N" (errptr gets EINVAL). */
char *_strerror_r(struct _reent *ptr, int errnum, int internal, int *errptr)
{
	static char unknown[2][32];     /* perror's and strerror_r's apart from strerror's */

	if (errnum >= 0 && errnum < NERR)
		return (char *)errlist[errnum];
	(void)ptr;
	if (errptr)
		*errptr = EINVAL;
	return unknown_error(unknown[internal != 0], errnum);
}

char *strerror(int errnum)
{
	return _strerror_r(_REENT, errnum, 0, &errno);
}

char *strerror_l(int errnum, locale_t locale)
{
	(void)locale;
	return strerror(errnum);
}
