/* pipe-harness: a benchmark harness's plumbing. A child sends 8 records through a
   pipe, each with a sequence number and a gettimeofday(2) time; the parent reads them,
   checks the order, does its timing arithmetic in doubles and prints what does not
   depend on the clock. Then a round trip over two pipes, 100 times. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

struct record {
	int seq;
	struct timeval tv;
};

static double seconds(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

int main(void)
{
	int fd[2];
	if (pipe(fd) < 0) {
		perror("pipe");
		return 1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		for (int i = 0; i < 8; i++) {
			struct record r = { i, { 0, 0 } };
			gettimeofday(&r.tv, NULL);
			if (write(fd[1], &r, sizeof(r)) != sizeof(r))
				_exit(1);
		}
		_exit(0);
	}
	close(fd[1]);
	struct record r;
	int n = 0, ordered = 1;
	double first = 0, last = 0;
	while (read(fd[0], &r, sizeof(r)) == sizeof(r)) {
		if (r.seq != n)
			ordered = 0;
		if (n == 0)
			first = seconds(&r.tv);
		last = seconds(&r.tv);
		n++;
	}
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	double span = last - first;
	printf("records %d, in order: %s\n", n, ordered ? "yes" : "no");
	printf("time never ran backwards: %s\n", span >= 0.0 ? "yes" : "no");
	printf("writer status %d\n", WEXITSTATUS(status));

	int up[2], down[2];
	if (pipe(up) < 0 || pipe(down) < 0) {
		perror("pipe");
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char c;
		close(down[1]);
		close(up[0]);
		while (read(down[0], &c, 1) == 1) {
			c++;
			write(up[1], &c, 1);
		}
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	struct timeval t0, t1;
	gettimeofday(&t0, NULL);
	int ok = 0;
	for (int i = 0; i < 100; i++) {
		char c = (char)i, back;
		write(down[1], &c, 1);
		if (read(up[0], &back, 1) == 1 && back == (char)(i + 1))
			ok++;
	}
	gettimeofday(&t1, NULL);
	close(down[1]);
	waitpid(pid, &status, 0);
	double us = (seconds(&t1) - seconds(&t0)) * 1e6 / 100;
	printf("round trips %d\n", ok);
	printf("microseconds per round trip >= 0: %s\n", us >= 0.0 ? "yes" : "no");
	return 0;
}
