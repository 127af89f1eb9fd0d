/* forklab libc: the signal calls that are library code over sigaction(2), kill(2) and
   sigprocmask(2) (lib/libc/gen/{signal,siginterrupt,sigsetops,raise,killpg,pause}.c). The
   kernel delivers a caught signal through the trampoline exec put at 0xBFBFFFD4 and
   returns through sigreturn(2) itself: sigaction needs no library trampoline. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

/* signals siginterrupt(sig, 1) asked not to restart */
static sigset_t interrupting;

static int badsig(int sig)
{
	if (sig <= 0 || sig > _SIG_MAXSIG) {
		errno = EINVAL;
		return 1;
	}
	return 0;
}

#define WORD(sig) (((sig) - 1) >> 5)
#define BIT(sig) (1U << (((sig) - 1) & 31))

int sigemptyset(sigset_t *set)
{
	for (int i = 0; i < 4; i++)
		set->__bits[i] = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	for (int i = 0; i < 4; i++)
		set->__bits[i] = ~0U;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (badsig(sig))
		return -1;
	set->__bits[WORD(sig)] |= BIT(sig);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (badsig(sig))
		return -1;
	set->__bits[WORD(sig)] &= ~BIT(sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (badsig(sig))
		return -1;
	return (set->__bits[WORD(sig)] & BIT(sig)) != 0;
}

/* signal(): restartable system calls unless siginterrupt said otherwise, no mask. */
_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction sa, osa;
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	if (badsig(sig))
		return SIG_ERR;
	if (!sigismember(&interrupting, sig))
		sa.sa_flags |= SA_RESTART;
	if (sigaction(sig, &sa, &osa) < 0)
		return SIG_ERR;
	return osa.sa_handler;
}

int siginterrupt(int sig, int flag)
{
	struct sigaction sa;
	if (sigaction(sig, NULL, &sa) < 0)
		return -1;
	if (flag) {
		sigaddset(&interrupting, sig);
		sa.sa_flags &= ~SA_RESTART;
	} else {
		sigdelset(&interrupting, sig);
		sa.sa_flags |= SA_RESTART;
	}
	return sigaction(sig, &sa, NULL);
}

int raise(int sig)
{
	return kill(getpid(), sig);
}

int killpg(pid_t pgid, int sig)
{
	if (pgid == 1) {
		errno = ESRCH;
		return -1;
	}
	return kill(-pgid, sig);
}

/* pause(3): sigsuspend(2) with the mask as it is, so it returns -1 with EINTR after a
   caught signal's handler, and never otherwise. */
int pause(void)
{
	sigset_t set;

	sigprocmask(SIG_BLOCK, NULL, &set);
	return sigsuspend(&set);
}
