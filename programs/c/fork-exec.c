/* fork-exec: the UnixBench execl test's shape: 5 times, fork and have the child execl
   this program itself (by argv[0]) with the argument "child N"; the exec'd child exits
   with N + 40. The parent prints each status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "child") == 0)
		return atoi(argv[2]) + 40;
	fflush(stdout);
	for (int i = 0; i < 5; i++) {
		char n[16];
		snprintf(n, sizeof(n), "%d", i);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			execl(argv[0], argv[0], "child", n, (char *)NULL);
			_exit(127);
		}
		int status;
		waitpid(pid, &status, 0);
		printf("exec %d: status %d\n", i, WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
	}
	return 0;
}
