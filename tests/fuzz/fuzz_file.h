/*
 * fuzz_file.h - for harnesses whose target reads a path (the zip walker,
 * the --trust/--crl loaders): the input as a file of this process.
 */
#ifndef TTE_FUZZ_FILE_H
#define TTE_FUZZ_FILE_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

/* Writes data to a file named after tag and this process (in /dev/shm
 * when it can); returns its name (static storage) or NULL. */
static inline const char *
fuzz_to_file(const uint8_t *data, size_t size, const char *tag)
{
	static char path[64];
	size_t done = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/tteaudit-fuzz-%s-%ld",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", tag,
		 (long)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	if (done != size) {
		unlink(path);
		return NULL;
	}
	return path;
}

#endif
