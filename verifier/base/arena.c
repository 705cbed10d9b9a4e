#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	max_align_t data[]; /* aligned for any type */
};

#define ARENA_CLOCK_EVERY 64 /* allocations between clock reads */

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* see arena.h */
void
arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

/* see arena.h */
void
arena_set_budget(struct arena *a, size_t limit, double seconds)
{
	a->limit = limit;
	a->deadline = seconds > 0 ? now_ns() + (int64_t)(seconds * 1e9) : 0;
	a->over = ARENA_OK;
}

/* Nonzero (and a->over set) when n more bytes break the budget. */
static int
over_budget(struct arena *a, size_t n)
{
	if (a->over != ARENA_OK)
		return 1;
	if (a->limit != 0 && (a->total > a->limit || n > a->limit - a->total))
		a->over = ARENA_OVER_MEMORY;
	else if (a->deadline != 0 && a->n_allocs++ % ARENA_CLOCK_EVERY == 0 &&
		 now_ns() > a->deadline)
		a->over = ARENA_OVER_TIME;
	return a->over != ARENA_OK;
}

/* see arena.h */
void
arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	while (c != NULL) {
		next = c->next;
		free(c);
		c = next;
	}
	arena_init(a);
}

/* see arena.h */
void *
arena_alloc(struct arena *a, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	struct arena_chunk *c = a->head;
	size_t size;
	void *p;

	if (n > SIZE_MAX - align || over_budget(a, n))
		return NULL;
	n = (n + align - 1) / align * align;
	if (c == NULL || c->size - c->used < n) {
		size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = malloc(sizeof(*c) + size);
		if (c == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		/* A big request gets a chunk of its own behind the head so
		 * that the head's free space is not wasted. */
		if (n > ARENA_CHUNK && a->head != NULL) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

/* see arena.h */
char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* see arena.h */
char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

/* see arena.h */
char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
