/* forklab libc: <semaphore.h> as DragonFly's (libthread_xu's sem_t is a pointer to an
   object the library allocates): unnamed semaphores of one process, with -lpthread. */
#ifndef _SEMAPHORE_H_
#define _SEMAPHORE_H_
#include <sys/cdefs.h>
#include <sys/types.h>
#include <time.h>

struct sem;
typedef struct sem *sem_t;

#define SEM_FAILED	((sem_t *)0)
#define SEM_VALUE_MAX	__INT_MAX__

__BEGIN_DECLS
int	sem_close(sem_t *);
int	sem_destroy(sem_t *);
int	sem_getvalue(sem_t *, int *);
int	sem_init(sem_t *, int, unsigned int);
sem_t	*sem_open(const char *, int, ...);
int	sem_post(sem_t *);
int	sem_timedwait(sem_t *, const struct timespec *);
int	sem_trywait(sem_t *);
int	sem_unlink(const char *);
int	sem_wait(sem_t *);
__END_DECLS
#endif
