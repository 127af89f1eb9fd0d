/* spawn-alarm: the UnixBench spawn test: fork, the child exits, the parent waits, for
   as long as an alarm(2) lets it (argv[1] seconds, default 1); then loops and loops
   per second. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t done;

static void wakeup(int sig)
{
	(void)sig;
	done = 1;
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 1;
	unsigned long loops = 0;
	signal(SIGALRM, wakeup);
	alarm(seconds);
	while (!done) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			_exit(0);
		int status;
		while (waitpid(pid, &status, 0) < 0)
			;
		loops++;
	}
	printf("loops %lu\n", loops);
	printf("lps %.1f\n", (double)loops / seconds);
	return loops > 0 ? 0 : 1;
}
