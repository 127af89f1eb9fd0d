/* forklab libc: what runs before main (lib/csu/i386/crt1.c): environ, __progname, the
   constructors; then exit(main(...)), which runs the atexit handlers, the destructors
   and flushes stdio. No TLS block is set up: errno is newlib's, in its reent structure,
   so nothing needs %gs (docs/libc.md). */
#include <stdlib.h>
#include <string.h>

extern char **environ;
const char *__progname = "";

extern int main(int, char **, char **);

typedef void (*initfn)(void);
extern initfn __preinit_array_start[] __attribute__((weak, visibility("hidden")));
extern initfn __preinit_array_end[] __attribute__((weak, visibility("hidden")));
extern initfn __init_array_start[] __attribute__((weak, visibility("hidden")));
extern initfn __init_array_end[] __attribute__((weak, visibility("hidden")));
extern initfn __fini_array_start[] __attribute__((weak, visibility("hidden")));
extern initfn __fini_array_end[] __attribute__((weak, visibility("hidden")));

static void run_fini(void)
{
	for (initfn *f = __fini_array_end; f > __fini_array_start; )
		(*--f)();
}

void __libc_start(int argc, char **argv, char **envp) __attribute__((noreturn));

void __libc_start(int argc, char **argv, char **envp)
{
	environ = envp;
	if (argc > 0 && argv[0] != NULL) {
		const char *slash = strrchr(argv[0], '/');
		__progname = slash ? slash + 1 : argv[0];
	}
	for (initfn *f = __preinit_array_start; f < __preinit_array_end; f++)
		(*f)();
	for (initfn *f = __init_array_start; f < __init_array_end; f++)
		(*f)();
	atexit(run_fini);
	exit(main(argc, argv, envp));
}
