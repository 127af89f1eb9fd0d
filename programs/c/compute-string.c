/* compute-string: string.h, ctype.h, stdlib.h and sprintf: copying, searching,
   comparing, tokenizing, case and class tests, qsort with a total order, strtol in
   several bases, and formatting into buffers with snprintf's truncation. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *words[] = {
	"fork", "vfork", "rfork", "exec", "wait", "exit", "kill", "signal", "pipe", "dup",
	"select", "poll", "mmap", "brk", "lwp", "thread", "spawn", "bomb", "proc", "zombie",
};
#define NWORDS (int)(sizeof(words) / sizeof(words[0]))

static int bylength(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

int main(void)
{
	const char *sorted[NWORDS];
	memcpy(sorted, words, sizeof(words));
	qsort(sorted, NWORDS, sizeof(sorted[0]), bylength);
	char line[256] = "";
	for (int i = 0; i < NWORDS; i++) {
		strcat(line, sorted[i]);
		strcat(line, i + 1 < NWORDS ? "," : "");
	}
	printf("sorted: %s\n", line);

	char copy[256];
	strcpy(copy, line);
	int tokens = 0;
	size_t longest = 0;
	for (char *t = strtok(copy, ","); t; t = strtok(NULL, ",")) {
		tokens++;
		if (strlen(t) > longest)
			longest = strlen(t);
	}
	printf("tokens %d, longest %zu, strstr %d, strchr %d, strrchr %d\n", tokens, longest,
	       (int)(strstr(line, "pipe") - line), (int)(strchr(line, 'z') - line), (int)(strrchr(line, 'k') - line));

	char upper[256];
	int alpha = 0, punct = 0;
	for (size_t i = 0; i <= strlen(line); i++) {
		upper[i] = (char)toupper((unsigned char)line[i]);
		alpha += isalpha((unsigned char)line[i]) != 0;
		punct += ispunct((unsigned char)line[i]) != 0;
	}
	printf("upper: %.24s... alpha %d punct %d\n", upper, alpha, punct);
	printf("compare: %d %d %d %d\n", strcmp("abc", "abd") < 0, strncmp("forklab", "fork", 4) == 0,
	       memcmp("\x01\x02", "\x01\x03", 2) < 0, strcasecmp("FoRk", "fork") == 0);

	printf("strtol: %ld %ld %ld %ld %lu\n", strtol("  -42xyz", NULL, 10), strtol("ff", NULL, 16),
	       strtol("0x1F", NULL, 0), strtol("z", NULL, 36), strtoul("4294967295", NULL, 10));
	char *end;
	long v = strtol("123abc", &end, 10);
	printf("strtol stops: %ld at \"%s\"; atoi %d\n", v, end, atoi("  77 apples"));

	char buf[16];
	static const char *volatile word = "process";   /* unknown to the compiler: truncated at run time */
	int n = snprintf(buf, sizeof(buf), "%s-%05d-%c%c", word, 42, 'o', 'k');
	printf("snprintf wanted %d, got \"%s\"\n", n, buf);
	sprintf(buf, "%-6s|%6s", "ab", "cd");
	printf("sprintf \"%s\"\n", buf);
	printf("[%10.3s] [%-10s] [%c] [%%]\n", "abcdef", "left", 'Z');

	char hay[1000];
	memset(hay, 'a', sizeof(hay) - 1);
	hay[sizeof(hay) - 1] = '\0';
	hay[700] = 'b';
	printf("memchr %d, strlen %zu, strspn %zu, strcspn %zu\n", (int)((char *)memchr(hay, 'b', sizeof(hay)) - hay),
	       strlen(hay), strspn(hay, "a"), strcspn(hay, "b"));
	unsigned sum = 0;
	for (const char *p = line; *p; p++)
		sum = sum * 31 + (unsigned char)*p;
	printf("checksum %u\n", sum);
	return (int)(sum & 0x7f);
}
