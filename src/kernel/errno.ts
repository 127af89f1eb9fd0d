// errno values of DragonFly BSD sys/sys/errno.h (the 2008 tree). Kernel functions return
// them negated (-EBADF); ERESTART, EJUSTRETURN and ENOIOCTL are already negative and never
// reach the guest: they tell the syscall return path what to do.

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EDEADLK = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const ENOTBLK = 15;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOTTY = 25;
export const ETXTBSY = 26;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EMLINK = 31;
export const EPIPE = 32;
export const EDOM = 33;
export const ERANGE = 34;
export const EAGAIN = 35;
export const EWOULDBLOCK = EAGAIN;
export const EINPROGRESS = 36;
export const EALREADY = 37;
export const ENOTSOCK = 38;
export const EDESTADDRREQ = 39;
export const EMSGSIZE = 40;
export const EPROTOTYPE = 41;
export const ENOPROTOOPT = 42;
export const EPROTONOSUPPORT = 43;
export const ESOCKTNOSUPPORT = 44;
export const EOPNOTSUPP = 45;
export const ENOTSUP = EOPNOTSUPP;
export const EPFNOSUPPORT = 46;
export const EAFNOSUPPORT = 47;
export const EADDRINUSE = 48;
export const EADDRNOTAVAIL = 49;
export const ENETDOWN = 50;
export const ENETUNREACH = 51;
export const ENETRESET = 52;
export const ECONNABORTED = 53;
export const ECONNRESET = 54;
export const ENOBUFS = 55;
export const EISCONN = 56;
export const ENOTCONN = 57;
export const ESHUTDOWN = 58;
export const ETOOMANYREFS = 59;
export const ETIMEDOUT = 60;
export const ECONNREFUSED = 61;
export const ELOOP = 62;
export const ENAMETOOLONG = 63;
export const EHOSTDOWN = 64;
export const EHOSTUNREACH = 65;
export const ENOTEMPTY = 66;
export const EPROCLIM = 67;
export const EUSERS = 68;
export const EDQUOT = 69;
export const ESTALE = 70;
export const EREMOTE = 71;
export const EBADRPC = 72;
export const ERPCMISMATCH = 73;
export const EPROGUNAVAIL = 74;
export const EPROGMISMATCH = 75;
export const EPROCUNAVAIL = 76;
export const ENOLCK = 77;
export const ENOSYS = 78;
export const EFTYPE = 79;
export const EAUTH = 80;
export const ENEEDAUTH = 81;
export const EIDRM = 82;
export const ENOMSG = 83;
export const EOVERFLOW = 84;
export const ECANCELED = 85;
export const EILSEQ = 86;
export const ENOATTR = 87;
export const EDOOFUS = 88;
// 89..98 are reserved (EUNUSED89..EUNUSED98).
export const EASYNC = 99;
export const ELAST = 99;

export const ERESTART = -1;
export const EJUSTRETURN = -2;
export const ENOIOCTL = -3;

// One name per value; the aliases (EWOULDBLOCK, ENOTSUP, ELAST) print as their primary name.
const NAMES: ReadonlyMap<number, string> = new Map([
  [EPERM, "EPERM"], [ENOENT, "ENOENT"], [ESRCH, "ESRCH"], [EINTR, "EINTR"], [EIO, "EIO"],
  [ENXIO, "ENXIO"], [E2BIG, "E2BIG"], [ENOEXEC, "ENOEXEC"], [EBADF, "EBADF"],
  [ECHILD, "ECHILD"], [EDEADLK, "EDEADLK"], [ENOMEM, "ENOMEM"], [EACCES, "EACCES"],
  [EFAULT, "EFAULT"], [ENOTBLK, "ENOTBLK"], [EBUSY, "EBUSY"], [EEXIST, "EEXIST"],
  [EXDEV, "EXDEV"], [ENODEV, "ENODEV"], [ENOTDIR, "ENOTDIR"], [EISDIR, "EISDIR"],
  [EINVAL, "EINVAL"], [ENFILE, "ENFILE"], [EMFILE, "EMFILE"], [ENOTTY, "ENOTTY"],
  [ETXTBSY, "ETXTBSY"], [EFBIG, "EFBIG"], [ENOSPC, "ENOSPC"], [ESPIPE, "ESPIPE"],
  [EROFS, "EROFS"], [EMLINK, "EMLINK"], [EPIPE, "EPIPE"], [EDOM, "EDOM"], [ERANGE, "ERANGE"],
  [EAGAIN, "EAGAIN"], [EINPROGRESS, "EINPROGRESS"], [EALREADY, "EALREADY"],
  [ENOTSOCK, "ENOTSOCK"], [EDESTADDRREQ, "EDESTADDRREQ"], [EMSGSIZE, "EMSGSIZE"],
  [EPROTOTYPE, "EPROTOTYPE"], [ENOPROTOOPT, "ENOPROTOOPT"],
  [EPROTONOSUPPORT, "EPROTONOSUPPORT"], [ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"],
  [EOPNOTSUPP, "EOPNOTSUPP"], [EPFNOSUPPORT, "EPFNOSUPPORT"], [EAFNOSUPPORT, "EAFNOSUPPORT"],
  [EADDRINUSE, "EADDRINUSE"], [EADDRNOTAVAIL, "EADDRNOTAVAIL"], [ENETDOWN, "ENETDOWN"],
  [ENETUNREACH, "ENETUNREACH"], [ENETRESET, "ENETRESET"], [ECONNABORTED, "ECONNABORTED"],
  [ECONNRESET, "ECONNRESET"], [ENOBUFS, "ENOBUFS"], [EISCONN, "EISCONN"],
  [ENOTCONN, "ENOTCONN"], [ESHUTDOWN, "ESHUTDOWN"], [ETOOMANYREFS, "ETOOMANYREFS"],
  [ETIMEDOUT, "ETIMEDOUT"], [ECONNREFUSED, "ECONNREFUSED"], [ELOOP, "ELOOP"],
  [ENAMETOOLONG, "ENAMETOOLONG"], [EHOSTDOWN, "EHOSTDOWN"], [EHOSTUNREACH, "EHOSTUNREACH"],
  [ENOTEMPTY, "ENOTEMPTY"], [EPROCLIM, "EPROCLIM"], [EUSERS, "EUSERS"], [EDQUOT, "EDQUOT"],
  [ESTALE, "ESTALE"], [EREMOTE, "EREMOTE"], [EBADRPC, "EBADRPC"],
  [ERPCMISMATCH, "ERPCMISMATCH"], [EPROGUNAVAIL, "EPROGUNAVAIL"],
  [EPROGMISMATCH, "EPROGMISMATCH"], [EPROCUNAVAIL, "EPROCUNAVAIL"], [ENOLCK, "ENOLCK"],
  [ENOSYS, "ENOSYS"], [EFTYPE, "EFTYPE"], [EAUTH, "EAUTH"], [ENEEDAUTH, "ENEEDAUTH"],
  [EIDRM, "EIDRM"], [ENOMSG, "ENOMSG"], [EOVERFLOW, "EOVERFLOW"], [ECANCELED, "ECANCELED"],
  [EILSEQ, "EILSEQ"], [ENOATTR, "ENOATTR"], [EDOOFUS, "EDOOFUS"], [EASYNC, "EASYNC"],
  [ERESTART, "ERESTART"], [EJUSTRETURN, "EJUSTRETURN"], [ENOIOCTL, "ENOIOCTL"],
]);

/** The symbolic name of an errno value (not of its negation); "errno N" for an unknown one. */
export function errnoName(n: number): string {
  return NAMES.get(n) ?? `errno ${n}`;
}
