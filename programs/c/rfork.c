/* rfork: DragonFly's rfork(2) variants. RFPROC|RFMEM shares the address space (the
   child's increment shows in the parent); RFPROC|RFFDG copies it (it does not);
   RFPROC|RFCFDG gives the child no descriptors (its write fails with EBADF);
   RFPROC|RFNOWAIT leaves the parent no child to wait for (ECHILD). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int counter;

static int status_of(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
	fflush(stdout);
	pid_t pid = rfork(RFPROC | RFMEM);
	if (pid == 0) {
		counter++;
		_exit(0);
	}
	status_of(pid);
	printf("RFPROC|RFMEM: parent sees counter %d\n", counter);

	pid = rfork(RFPROC | RFFDG);
	if (pid == 0) {
		counter++;
		_exit(counter);
	}
	int st = status_of(pid);
	printf("RFPROC|RFFDG: child had %d, parent still %d\n", st, counter);

	pid = rfork(RFPROC | RFCFDG);
	if (pid == 0)
		_exit(write(1, "x", 1) < 0 ? errno : 0);
	printf("RFPROC|RFCFDG: child's write failed with %s\n", status_of(pid) == EBADF ? "EBADF" : "something else");

	pid = rfork(RFPROC | RFNOWAIT);
	if (pid == 0)
		_exit(0);
	int status;
	errno = 0;
	pid_t w = waitpid(pid, &status, 0);
	printf("RFPROC|RFNOWAIT: waitpid %d, %s\n", (int)w, errno == ECHILD ? "ECHILD" : strerror(errno));

	errno = 0;
	printf("rfork(RFPPWAIT): %d, %s\n", rfork((int)RFPPWAIT), errno == EINVAL ? "EINVAL" : strerror(errno));
	return 0;
}
