/* vfork-exec: vfork, and the child execs this program (argv[0]) with "child", which
   exits 3; then vfork with a child that calls _exit(5) at once. The parent sleeps
   until each child has exec'd or exited (the vfork handshake) and prints the status. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "child") == 0)
		return 3;
	fflush(stdout);
	int status;
	pid_t pid = vfork();
	if (pid == 0) {
		execl(argv[0], argv[0], "child", (char *)NULL);
		_exit(127);
	}
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	waitpid(pid, &status, 0);
	printf("vfork+exec: status %d\n", WEXITSTATUS(status));
	pid = vfork();
	if (pid == 0)
		_exit(5);
	waitpid(pid, &status, 0);
	printf("vfork+_exit: status %d\n", WEXITSTATUS(status));
	return 0;
}
