/* fork-tree: a tree of processes two levels deep. Each of 3 children forks 2
   grandchildren that exit with (child * 10 + grandchild); the child checks its
   parent and exits with how many grandchildren it reaped with the right status; the
   parent prints every status. Only the parent prints, so the output does not depend
   on the scheduler. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int grandchildren(int child, pid_t me)
{
	int good = 0;
	for (int g = 0; g < 2; g++) {
		pid_t pid = fork();
		if (pid < 0)
			_exit(100);
		if (pid == 0)
			_exit(getppid() == me ? child * 10 + g : 99);
	}
	for (int g = 0; g < 2; g++) {
		int status;
		pid_t pid = wait(&status);
		if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) / 10 == child)
			good++;
	}
	return good;
}

int main(void)
{
	pid_t parent = getpid();
	pid_t kids[3];
	fflush(stdout);
	for (int c = 0; c < 3; c++) {
		kids[c] = fork();
		if (kids[c] < 0) {
			perror("fork");
			return 1;
		}
		if (kids[c] == 0) {
			if (getppid() != parent)
				_exit(98);
			_exit(grandchildren(c, getpid()));
		}
	}
	for (int c = 0; c < 3; c++) {
		int status;
		if (waitpid(kids[c], &status, 0) != kids[c]) {
			perror("waitpid");
			return 1;
		}
		printf("child %d: %s %d\n", c, WIFEXITED(status) ? "exited" : "killed",
		       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
	int status;
	printf("wait with no children: %d\n", (int)wait(&status));
	printf("tree done\n");
	return 0;
}
