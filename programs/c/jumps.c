/* jumps: setjmp and longjmp as a BSD libc has them. longjmp returns to setjmp with its
   value; jumping out of a signal handler with siglongjmp (after sigsetjmp(env, 1))
   restores the mask saved at sigsetjmp, so the signal is unblocked again; _longjmp does
   not touch the mask, so the handler's blocking of the signal stays. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf jb;
static sigjmp_buf sjb;
static jmp_buf ujb;
static int use_sig;

static int deep(int n)
{
	if (n == 0)
		longjmp(jb, 7);
	if (n < 0)
		return 0;
	return deep(n - 1) + 1;
}

static void on_usr1(int sig)
{
	(void)sig;
	if (use_sig)
		siglongjmp(sjb, 1);
	_longjmp(ujb, 1);
}

static int blocked(int sig)
{
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, sig);
}

int main(void)
{
	volatile int first = -1;
	int v = setjmp(jb);
	if (first < 0) {
		first = v;
		deep(10);
	}
	printf("setjmp returned %d, then %d from longjmp\n", first, v);

	signal(SIGUSR1, on_usr1);
	use_sig = 1;
	if (sigsetjmp(sjb, 1) == 0)
		raise(SIGUSR1);
	printf("siglongjmp from a handler: SIGUSR1 blocked afterwards %d\n", blocked(SIGUSR1));
	use_sig = 0;
	if (_setjmp(ujb) == 0)
		raise(SIGUSR1);
	printf("_longjmp from a handler: SIGUSR1 blocked afterwards %d\n", blocked(SIGUSR1));
	return 0;
}
