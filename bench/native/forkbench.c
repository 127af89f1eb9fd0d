/*
 * The machine's own kernel doing what bench/fork.bench.mjs has forklab do, for the
 * figures beside forklab's. Built at bench time with the machine's C compiler.
 *
 *   forkbench MODE RESIDENT_BYTES N
 *
 * First RESIDENT_BYTES of anonymous memory are mapped and every page written (so it is
 * resident), then N operations of MODE, after one untimed warm-up operation:
 *   fork-exit-wait   fork; the child _exits at once; the parent waitpids it (one cycle)
 *   vfork-exit-wait  the same with vfork
 *   fork             fork alone: the parent's time from the call to fork's return (the
 *                    child _exits; it is reaped outside the timing)
 *   cow              the first write after fork: the child waits on a pipe while the
 *                    parent writes one byte to each of N resident pages (each a
 *                    copy-on-write fault); then the child is released and reaped
 * Prints one line: "MODE RESIDENT_BYTES N NS_PER_OP", the median of the N operations
 * (for cow, the mean of the N writes after one fork). A median of single operations
 * leaves out the time slices a loaded host gives to others, as fork.bench's do.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void reap(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("waitpid");
}

/* One cycle of MODE (not cow); the time the parent spent in what is measured. */
static double cycle(const char *mode)
{
	double t0 = now_ns(), t;
	pid_t pid;
	if (strcmp(mode, "vfork-exit-wait") == 0) {
		pid = vfork();
		if (pid == 0)
			_exit(0);
	} else {
		pid = fork();
		if (pid == 0)
			_exit(0);
	}
	if (pid < 0)
		die("fork");
	if (strcmp(mode, "fork") == 0) {
		t = now_ns() - t0;
		reap(pid);
		return t;
	}
	reap(pid);
	return now_ns() - t0;
}

/* N first writes after a fork, one per page of mem; the time per write. */
static double cow(char *mem, size_t pages, long n)
{
	int fds[2];
	char c = 0;
	if ((size_t)n > pages)
		n = (long)pages;
	if (pipe(fds) != 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(fds[1]);
		if (read(fds[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[0]);
	long step = (long)(pages / (size_t)n);
	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		mem[(size_t)(i * step) * 4096] = (char)i;
	double t = now_ns() - t0;
	if (write(fds[1], &c, 1) != 1)
		die("write");
	close(fds[1]);
	reap(pid);
	return t / (double)n;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: forkbench fork-exit-wait|vfork-exit-wait|fork|cow RESIDENT_BYTES N\n");
		return 2;
	}
	const char *mode = argv[1];
	size_t bytes = strtoull(argv[2], NULL, 10);
	long n = strtol(argv[3], NULL, 10);
	if (n < 1 || (strcmp(mode, "fork-exit-wait") && strcmp(mode, "vfork-exit-wait") &&
	    strcmp(mode, "fork") && strcmp(mode, "cow"))) {
		fprintf(stderr, "forkbench: bad mode or count\n");
		return 2;
	}
	char *mem = NULL;
	size_t pages = bytes / 4096;
	if (bytes > 0) {
		mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			die("mmap");
		for (size_t i = 0; i < pages; i++)
			mem[i * 4096] = 1;
	}
	double per;
	if (strcmp(mode, "cow") == 0) {
		if (pages == 0) {
			fprintf(stderr, "forkbench: cow needs resident memory\n");
			return 2;
		}
		cow(mem, pages, 1); /* warm-up */
		per = cow(mem, pages, n);
	} else {
		double *t = malloc((size_t)n * sizeof *t);
		if (t == NULL)
			die("malloc");
		cycle(mode); /* warm-up */
		for (long i = 0; i < n; i++)
			t[i] = cycle(mode);
		qsort(t, (size_t)n, sizeof *t, cmp_double);
		per = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
		free(t);
	}
	printf("%s %zu %ld %.1f\n", mode, bytes, n, per);
	return 0;
}
