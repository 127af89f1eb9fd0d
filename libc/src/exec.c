/* forklab libc: the exec family over execve(2) (lib/libc/gen/exec.c): the l forms
   gather their arguments into a vector, the p forms search PATH (default
   "/usr/bin:/bin") when the file name has no slash. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define DEFPATH "/usr/bin:/bin"

static int count_args(const char *arg, va_list ap)
{
	int n = 1;
	if (arg == NULL)
		return 0;
	while (va_arg(ap, const char *) != NULL)
		n++;
	return n;
}

/* argv[0] = arg, then the n arguments after it (the last of them the terminating NULL);
   ap is left past the NULL, where execle's envp follows. argv holds n + 1 entries. */
static void gather(const char **argv, int n, const char *arg, va_list *ap)
{
	argv[0] = arg;
	for (int i = 1; i <= n; i++)
		argv[i] = va_arg(*ap, const char *);
	argv[n] = NULL;
}

int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	int n = count_args(arg, ap);
	va_end(ap);
	const char *argv[n + 1];
	va_start(ap, arg);
	gather(argv, n, arg, &ap);
	va_end(ap);
	return execve(path, (char *const *)argv, environ);
}

int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	int n = count_args(arg, ap);
	va_end(ap);
	const char *argv[n + 1];
	va_start(ap, arg);
	gather(argv, n, arg, &ap);
	char *const *envp = va_arg(ap, char *const *);
	va_end(ap);
	return execve(path, (char *const *)argv, envp);
}

int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	int n = count_args(arg, ap);
	va_end(ap);
	const char *argv[n + 1];
	va_start(ap, arg);
	gather(argv, n, arg, &ap);
	va_end(ap);
	return execvp(file, (char *const *)argv);
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

int execvp(const char *file, char *const argv[])
{
	if (*file == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/') != NULL)
		return execve(file, argv, environ);
	const char *path = getenv("PATH");
	if (path == NULL)
		path = DEFPATH;
	size_t flen = strlen(file);
	int eacces = 0;
	for (const char *p = path;; ) {
		const char *colon = strchr(p, ':');
		size_t dlen = colon ? (size_t)(colon - p) : strlen(p);
		char buf[dlen + 1 + flen + 1];
		if (dlen == 0) {
			memcpy(buf, file, flen + 1);   /* an empty entry is the current directory */
		} else {
			memcpy(buf, p, dlen);
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, file, flen + 1);
		}
		execve(buf, argv, environ);
		if (errno == EACCES)
			eacces = 1;
		else if (errno != ENOENT && errno != ENOTDIR)
			return -1;
		if (colon == NULL)
			break;
		p = colon + 1;
	}
	errno = eacces ? EACCES : ENOENT;
	return -1;
}
