/* forklab libc: basename(3) and dirname(3) as DragonFly's libc had them in 2008
   (lib/libc/gen/basename.c, dirname.c): the path is left alone and the answer is
   copied into a static buffer of MAXPATHLEN bytes; NULL or "" gives ".", a path of
   slashes only gives "/", trailing slashes do not count, and an answer that would not
   fit is NULL with ENAMETOOLONG. */
#include <errno.h>
#include <libgen.h>
#include <string.h>

#define MAXPATHLEN 1024

/* Copies len bytes of s into buf as a string, or fails with ENAMETOOLONG. */
static char *answer(char *buf, const char *s, size_t len)
{
	if (len + 1 > MAXPATHLEN) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

char *basename(const char *path)
{
	static char bname[MAXPATHLEN];
	const char *end, *start;

	if (path == NULL || *path == '\0')
		return answer(bname, ".", 1);
	end = path + strlen(path) - 1;
	while (end > path && *end == '/')
		end--;
	if (end == path && *end == '/')
		return answer(bname, "/", 1);
	for (start = end; start > path && start[-1] != '/'; start--)
		;
	return answer(bname, start, end - start + 1);
}

char *dirname(const char *path)
{
	static char dname[MAXPATHLEN];
	const char *end;

	if (path == NULL || *path == '\0')
		return answer(dname, ".", 1);
	end = path + strlen(path) - 1;
	while (end > path && *end == '/')        /* the trailing slashes */
		end--;
	while (end > path && *end != '/')        /* the last component */
		end--;
	if (end == path)
		return answer(dname, *end == '/' ? "/" : ".", 1);
	while (end > path && *end == '/')        /* the slashes before it */
		end--;
	return answer(dname, path, end - path + 1);
}
