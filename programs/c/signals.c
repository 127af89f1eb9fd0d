/* signals: signals to and from a child, with handlers. The child tells the parent it
   is ready with SIGUSR1 and waits in sigsuspend(2); the parent answers with SIGUSR2,
   whose handler in the child counts it, and the child acknowledges with SIGUSR1 again;
   then the parent sends SIGTERM, whose handler exits with 40 + the count. (Sent
   together, SIGTERM would come first: the lowest pending signal is delivered first.) Then: a signal blocked with sigprocmask is pending, not
   delivered, until unblocked; raise(SIGINT) with SIG_IGN does nothing; an uncaught
   SIGKILL ends a child with WTERMSIG 9. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, usr2, caught;

static void on_usr1(int sig) { (void)sig; usr1++; }
static void on_usr2(int sig) { (void)sig; usr2++; }
static void on_term(int sig) { (void)sig; _exit(40 + usr2); }
static void on_int(int sig) { (void)sig; caught++; }

int main(void)
{
	sigset_t block, old, none;
	sigemptyset(&none);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);   /* no signal is lost before sigsuspend */

	struct sigaction sa;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		sa.sa_handler = on_term;
		sigaction(SIGTERM, &sa, NULL);
		kill(getppid(), SIGUSR1);
		while (usr2 == 0)
			sigsuspend(&none);
		kill(getppid(), SIGUSR1);
		for (;;)
			sigsuspend(&none);
	}
	while (usr1 == 0)
		sigsuspend(&none);
	printf("parent got SIGUSR1 from the child: %d\n", usr1);
	kill(pid, SIGUSR2);
	while (usr1 < 2)
		sigsuspend(&none);
	printf("child acknowledged SIGUSR2: %d\n", usr1);
	kill(pid, SIGTERM);
	int status;
	waitpid(pid, &status, 0);
	printf("child exited %d (40 + SIGUSR2 count)\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

	sa.sa_handler = on_int;
	sigaction(SIGINT, &sa, NULL);
	sigset_t intset, pending;
	sigemptyset(&intset);
	sigaddset(&intset, SIGINT);
	sigprocmask(SIG_BLOCK, &intset, NULL);
	raise(SIGINT);
	sigpending(&pending);
	printf("blocked SIGINT: pending %d, caught %d\n", sigismember(&pending, SIGINT), caught);
	sigprocmask(SIG_UNBLOCK, &intset, NULL);
	printf("unblocked SIGINT: caught %d\n", caught);

	signal(SIGINT, SIG_IGN);
	raise(SIGINT);
	printf("ignored SIGINT: caught %d\n", caught);

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		for (;;)
			sigsuspend(&none);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	printf("SIGKILL: signaled %d, signal %d\n", WIFSIGNALED(status) ? 1 : 0, WTERMSIG(status));
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}
