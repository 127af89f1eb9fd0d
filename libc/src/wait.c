/* forklab libc: wait, waitpid and wait3 are wait4(2). */
#include <sys/types.h>
#include <sys/wait.h>

pid_t wait(int *status)
{
	return wait4(WAIT_ANY, status, 0, NULL);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait3(int *status, int options, struct rusage *ru)
{
	return wait4(WAIT_ANY, status, options, ru);
}
