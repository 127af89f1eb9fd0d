/* rfork: DragonFly's rfork(2) variants. RFPROC|RFMEM shares the address space (the
   child's increment shows in the parent); the child gets its own stack through
   rfork_thread, since it would otherwise run on the parent's stack at the same time as
   the parent. RFPROC|RFFDG copies the address space (the increment does not show);
   RFPROC|RFCFDG gives the child no descriptors (its write fails with EBADF);
   RFPROC|RFNOWAIT leaves the parent no child to wait for (ECHILD). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int counter;
static char stack[16384] __attribute__((aligned(16)));

static int increment(void *arg)
{
	(void)arg;
	counter++;
	return 0;
}

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
	pid_t pid = rfork_thread(RFPROC | RFMEM, stack + sizeof(stack), increment, NULL);
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
	int r = rfork((int)RFPPWAIT);
	printf("rfork(RFPPWAIT): %d, %s\n", r, errno == EINVAL ? "EINVAL" : strerror(errno));
	return 0;
}
