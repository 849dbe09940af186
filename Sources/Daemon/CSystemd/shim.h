#ifndef SIFT_CSYSTEMD_SHIM_H
#define SIFT_CSYSTEMD_SHIM_H
#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#endif
