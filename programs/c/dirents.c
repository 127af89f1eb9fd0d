/* dirents: mkdir(2), rmdir(2) and directory streams over getdirentries(2). Lists a
   directory it makes (names in the order they were made, after "." and ".."), with each
   entry's type; returns to a position with telldir/seekdir; rewinds; and, after a fork,
   the child reads the same stream (its descriptor's offset is shared), as the Open POSIX
   Test Suite's fork/6-1 does. opendir of a file is ENOTDIR, of nothing ENOENT; rmdir of a
   directory with entries is ENOTEMPTY, of an empty one it works. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *type(int t)
{
	return t == DT_DIR ? "dir" : t == DT_REG ? "file" : t == DT_CHR ? "chr" : "?";
}

static int count(DIR *d)
{
	int n = 0;
	rewinddir(d);
	while (readdir(d) != NULL)
		n++;
	return n;
}

int main(void)
{
	printf("mkdir /tmp/d: %d\n", mkdir("/tmp/d", 0755));
	const char *files[] = { "/tmp/d/alpha", "/tmp/d/beta", "/tmp/d/a-much-longer-name-than-the-others" };
	for (int i = 0; i < 3; i++)
		close(open(files[i], O_CREAT | O_WRONLY, 0644));
	printf("mkdir /tmp/d/sub: %d\n", mkdir("/tmp/d/sub", 0755));
	int r = mkdir("/tmp/d", 0755);
	printf("mkdir /tmp/d again: %d %s\n", r, strerror(errno));
	r = mkdir("/tmp/none/x", 0755);
	printf("mkdir /tmp/none/x: %d %s\n", r, strerror(errno));

	DIR *d = opendir("/tmp/d");
	if (d == NULL) {
		perror("opendir");
		return 1;
	}
	struct dirent *e;
	long mark = -1;
	int i = 0;
	while ((e = readdir(d)) != NULL) {
		printf("%d %s %s (namlen %d)\n", i, e->d_name, type(e->d_type), e->d_namlen);
		if (strcmp(e->d_name, "beta") == 0)
			mark = telldir(d);
		i++;
	}
	seekdir(d, mark);
	e = readdir(d);
	printf("after beta: %s\n", e ? e->d_name : "(end)");
	printf("count %d, again %d\n", count(d), count(d));

	fflush(stdout); /* the child must not print the parent's buffered output again */
	pid_t c = fork();
	if (c == 0) {
		printf("child counts %d\n", count(d));
		return closedir(d) == 0 ? 0 : 1;
	}
	int st;
	waitpid(c, &st, 0);
	printf("child status %d\n", WEXITSTATUS(st));
	printf("closedir %d\n", closedir(d));

	errno = 0;
	DIR *f = opendir("/tmp/d/alpha");
	printf("opendir of a file: %s, %s\n", f ? "opened" : "NULL", strerror(errno));
	f = opendir("/nonexistent");
	printf("opendir of nothing: %s, %s\n", f ? "opened" : "NULL", strerror(errno));
	r = rmdir("/tmp/d");
	printf("rmdir /tmp/d: %d %s\n", r, strerror(errno));
	printf("rmdir /tmp/d/sub: %d\n", rmdir("/tmp/d/sub"));
	r = rmdir("/tmp/d/alpha");
	printf("rmdir /tmp/d/alpha: %d %s\n", r, strerror(errno));
	return 0;
}
