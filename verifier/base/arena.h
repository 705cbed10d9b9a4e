/*
 * arena.h - per-document memory: everything parsed or written for one
 * document comes from its arena and is freed at once when the document is
 * done (STYLE.md: flat memory over 100k documents).
 */
#ifndef TTE_ARENA_H
#define TTE_ARENA_H

#include <stddef.h>
#include <stdint.h>

#define ARENA_CHUNK (64 * 1024) /* first chunk; big requests get their own */

struct arena_chunk;

/* Why an arena refused memory: its budget ran out (issue 6). */
enum arena_over {
	ARENA_OK = 0,
	ARENA_OVER_MEMORY,
	ARENA_OVER_TIME,
};

struct arena {
	struct arena_chunk *head;
	size_t total;      /* bytes handed out, for the memory budget */
	size_t limit;      /* 0: none; else arena_alloc refuses past it */
	int64_t deadline;  /* 0: none; else CLOCK_MONOTONIC ns after which
			      arena_alloc refuses: the time budget */
	enum arena_over over; /* set by the first refusal */
	unsigned n_allocs;    /* to read the clock only now and then */
};

/* Sets a memory limit (bytes, 0 none) and a time budget (seconds from
 * now, 0 none) for everything allocated from a from now on. Work that
 * allocates as it goes (all parsing does) stops soon after either. */
void arena_set_budget(struct arena *a, size_t limit, double seconds);

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
