#ifndef SIFT_CLINUX_H
#define SIFT_CLINUX_H

#define _GNU_SOURCE 1
#include <fcntl.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/file.h>
#include <unistd.h>
#include <errno.h>

// renameat2(2) with RENAME_NOREPLACE: move without ever replacing an existing name.
// Returns 0, or -1 with errno (EEXIST when the target exists, EINVAL when the file system
// does not support the flag).
static inline int sift_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
    return renameat2(olddirfd, oldpath, newdirfd, newpath, RENAME_NOREPLACE);
}

// fcntl(F_SETLEASE) is variadic and cannot be called from Swift directly.
static inline int sift_set_lease(int fd, int type) {
    return fcntl(fd, F_SETLEASE, type);
}

static inline int sift_lease_read(void) { return F_RDLCK; }
static inline int sift_lease_none(void) { return F_UNLCK; }

#endif
