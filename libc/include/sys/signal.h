/* forklab libc: DragonFly BSD's signals (sys/sys/signal.h 1.6, machine/signal.h 1.9):
   numbers, sigset_t, struct sigaction, stack_t, siginfo_t, as the kernel lays them out. */
#ifndef _SYS_SIGNAL_H
#define _SYS_SIGNAL_H
#include <sys/cdefs.h>
#include <sys/types.h>
#include <sys/_sigset.h>

#if !defined(_SIGSET_T_DECLARED)
#define _SIGSET_T_DECLARED
typedef __sigset_t sigset_t;
#endif

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT SIGABRT
#define SIGEMT 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGBUS 10
#define SIGSEGV 11
#define SIGSYS 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGURG 16
#define SIGSTOP 17
#define SIGTSTP 18
#define SIGCONT 19
#define SIGCHLD 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGIO 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGINFO 29
#define SIGUSR1 30
#define SIGUSR2 31
#define SIGTHR 32
#define SIGCKPT 33
#define SIGCKPTEXIT 34
#define NSIG 64
#define _SIG_MAXSIG 128

typedef void (*_sig_func_ptr)(int);
typedef _sig_func_ptr __sighandler_t;

union sigval {
	int sival_int;
	void *sival_ptr;
};

typedef struct __siginfo {          /* 64 bytes */
	int si_signo;
	int si_errno;
	int si_code;
	int si_pid;
	unsigned int si_uid;
	int si_status;
	void *si_addr;
	union sigval si_value;
	long si_band;
	int __spare__[7];
} siginfo_t;

struct sigaction {                  /* 24 bytes: handler @0, flags @4, mask @8 */
	union {
		void (*__sa_handler)(int);
		void (*__sa_sigaction)(int, siginfo_t *, void *);
	} __sigaction_u;
	int sa_flags;
	sigset_t sa_mask;
};
#define sa_handler __sigaction_u.__sa_handler
#define sa_sigaction __sigaction_u.__sa_sigaction

#define SA_ONSTACK 0x0001
#define SA_RESTART 0x0002
#define SA_RESETHAND 0x0004
#define SA_NOCLDSTOP 0x0008
#define SA_NODEFER 0x0010
#define SA_NOCLDWAIT 0x0020
#define SA_SIGINFO 0x0040
#define SA_MAILBOX 0x1000

#define SS_ONSTACK 0x0001
#define SS_DISABLE 0x0004
#define MINSIGSTKSZ 8192
#define SIGSTKSZ (MINSIGSTKSZ + 32768)

typedef struct sigaltstack {        /* 12 bytes */
	void *ss_sp;
	size_t ss_size;
	int ss_flags;
} stack_t;

#define SIG_BLOCK 1
#define SIG_UNBLOCK 2
#define SIG_SETMASK 3

#define SIG_DFL ((_sig_func_ptr)0)
#define SIG_IGN ((_sig_func_ptr)1)
#define SIG_ERR ((_sig_func_ptr)-1)

#define FPE_INTDIV 2
#define BUS_PAGE_FAULT 12

__BEGIN_DECLS
int sigaction(int, const struct sigaction *, struct sigaction *);
int sigprocmask(int, const sigset_t *, sigset_t *);
int sigsuspend(const sigset_t *);
int sigpending(sigset_t *);
int sigaltstack(const stack_t *, stack_t *);
int sigaddset(sigset_t *, int);
int sigdelset(sigset_t *, int);
int sigemptyset(sigset_t *);
int sigfillset(sigset_t *);
int sigismember(const sigset_t *, int);
int kill(pid_t, int);
int killpg(pid_t, int);
int siginterrupt(int, int);
__END_DECLS
#endif
