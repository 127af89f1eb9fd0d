/* exec-family: each of execl, execle, execlp, execv and execvp runs this program again (by
   argv[0], a path in /bin) in a child, which prints what it was given: its arguments and
   FORKLAB_X from its environment. execle passes an environment of its own; execlp and
   execvp search PATH for the bare name; an empty name and one found nowhere fail. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child_report(int argc, char **argv)
{
	const char *x = getenv("FORKLAB_X");
	printf("  argc %d:", argc);
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf(" [FORKLAB_X=%s]\n", x ? x : "(unset)");
}

static void run(const char *how, int which, char **argv0)
{
	printf("%s\n", how);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *env[] = { "FORKLAB_X=from-execle", NULL };
		char *v[] = { argv0[0], "child", "v", "w", NULL };
		const char *slash = strrchr(argv0[0], '/');
		char *name = slash ? (char *)slash + 1 : argv0[0];
		char *vp[] = { name, "child", "vp", NULL };
		switch (which) {
		case 0: execl(argv0[0], argv0[0], "child", "one", "two", (char *)NULL); break;
		case 1: execle(argv0[0], argv0[0], "child", "e", (char *)NULL, env); break;
		case 2: execlp(name, name, "child", "lp", (char *)NULL); break;
		case 3: execv(argv0[0], v); break;
		case 4: execvp(name, vp); break;
		case 5: execl(argv0[0], argv0[0], (char *)NULL); break;
		}
		printf("  failed: %s\n", strerror(errno));
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("  status %d\n", WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "child") == 0) {
		child_report(argc, argv);
		return 0;
	}
	if (argc == 1 && getenv("FORKLAB_X") != NULL) {
		printf("  no arguments [FORKLAB_X=%s]\n", getenv("FORKLAB_X"));
		return 3;
	}
	setenv("FORKLAB_X", "inherited", 1);
	setenv("PATH", "/nonexistent:/bin", 1);
	run("execl", 0, argv);
	run("execle", 1, argv);
	run("execlp", 2, argv);
	run("execv", 3, argv);
	run("execvp", 4, argv);
	run("execl, no arguments", 5, argv);
	int r = execvp("", argv);
	printf("execvp \"\": %d %s\n", r, strerror(errno));
	r = execlp("no-such-program", "x", (char *)NULL);
	printf("execlp nowhere: %d %s\n", r, strerror(errno));
	return 0;
}
