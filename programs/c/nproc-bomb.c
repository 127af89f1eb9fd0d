/* nproc-bomb: a fork bomb held by RLIMIT_NPROC. With the limit at 20, as a user other
   than root, the process forks children that wait on a pipe until fork fails; it
   prints how many it made and the errno, then closes the pipe (the children read EOF
   and exit) and reaps them all. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct rlimit rl = { 20, 20 };
	if (setrlimit(RLIMIT_NPROC, &rl) < 0) {
		perror("setrlimit");
		return 1;
	}
	if (getuid() == 0)
		printf("running as root: RLIMIT_NPROC does not apply\n");
	int fd[2];
	if (pipe(fd) < 0) {
		perror("pipe");
		return 1;
	}
	fflush(stdout);
	int made = 0, err = 0;
	for (;;) {
		pid_t pid = fork();
		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			char c;
			close(fd[1]);
			read(fd[0], &c, 1);
			_exit(0);
		}
		made++;
		if (made == 1000)
			break;
	}
	close(fd[1]);
	int reaped = 0, status;
	while (wait(&status) > 0)
		reaped++;
	printf("forked %d children, then %s\n", made, err == EAGAIN ? "EAGAIN" : strerror(err));
	printf("reaped %d\n", reaped);
	return 0;
}
