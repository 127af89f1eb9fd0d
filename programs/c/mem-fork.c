/* mem-fork: memory after fork. A child writes to a MAP_SHARED page (the parent sees
   it), a MAP_PRIVATE page and a global (the parent does not: copy-on-write); a page
   given minherit(INHERIT_SHARE) is shared like MAP_SHARED; one given INHERIT_NONE is a
   hole in the child, whose touch of it is a SIGSEGV. */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int global = 1;

static int *page(int flags)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, flags | MAP_ANON, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		_exit(1);
	}
	return p;
}

int main(void)
{
	int *shared = page(MAP_SHARED), *private = page(MAP_PRIVATE);
	int *inh_share = page(MAP_PRIVATE), *inh_none = page(MAP_PRIVATE);
	*shared = *private = *inh_share = *inh_none = 1;
	if (minherit(inh_share, 4096, INHERIT_SHARE) < 0 || minherit(inh_none, 4096, INHERIT_NONE) < 0) {
		perror("minherit");
		return 1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		*shared = 2;
		*private = 2;
		*inh_share = 2;
		global = 2;
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("MAP_SHARED %d, MAP_PRIVATE %d, INHERIT_SHARE %d, global %d\n", *shared, *private, *inh_share, global);

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		*inh_none = 3;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("INHERIT_NONE: child %s %d; parent still has %d\n",
	       WIFSIGNALED(status) ? "killed by signal" : "exited", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
	       *inh_none);
	return 0;
}
