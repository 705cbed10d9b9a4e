/*
 * arena.h - per-document memory: everything parsed or written for one
 * document comes from its arena and is freed at once when the document is
 * done (STYLE.md: flat memory over 100k documents).
 */
#ifndef TTE_ARENA_H
#define TTE_ARENA_H

#include <stddef.h>

#define ARENA_CHUNK (64 * 1024) /* first chunk; big requests get their own */

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t total;   /* bytes handed out, for the memory budget */
};

void arena_init(struct arena *a);

/* Frees every chunk; the arena can be used again after arena_init. */
void arena_release(struct arena *a);

/* Zeroed memory aligned for any type; NULL only when out of memory. */
void *arena_alloc(struct arena *a, size_t n);

/* Copies s (NULL gives NULL). */
char *arena_strdup(struct arena *a, const char *s);

/* Copies n bytes of s and ends them with NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
