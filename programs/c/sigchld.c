/* sigchld: reaping children from a SIGCHLD handler. Five children exit with 1..5; the
   handler reaps all it can with waitpid(-1, WNOHANG) and sums the statuses; the parent
   sleeps in sigsuspend(2) with SIGCHLD unblocked until all five are reaped. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t reaped, sum;

static void on_chld(int sig)
{
	(void)sig;
	int saved = errno, status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		reaped++;
		sum += WEXITSTATUS(status);
	}
	errno = saved;
}

int main(void)
{
	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	struct sigaction sa;
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	fflush(stdout);
	for (int i = 1; i <= 5; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			_exit(i);
	}
	while (reaped < 5)
		sigsuspend(&old);
	printf("reaped %d children, statuses sum to %d\n", reaped, sum);
	int status;
	printf("none left: %d\n", (int)waitpid(-1, &status, WNOHANG));
	return 0;
}
