// Runs code from places that are gone by the time perf looks: a shared library deleted after dlopen, and
// machine code in a memfd (always "(deleted)"), so perf prints modules as "/path (deleted)" and
// "/memfd:NAME (deleted)". Run it from a copy of the binary that is deleted too (see record.sh).
// Usage: doomed SECONDS LIBRARY
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// x86-64: mov ecx, 200000; 1: dec ecx; jnz 1b; ret
static const unsigned char LOOP_CODE[] = {0xb9, 0x40, 0x0d, 0x03, 0x00, 0xff, 0xc9, 0x75, 0xfc, 0xc3};

static void (*memfd_code(void))(void) {
  int fd = memfd_create("jitcode", MFD_CLOEXEC);
  if (fd < 0 || write(fd, LOOP_CODE, sizeof LOOP_CODE) != sizeof LOOP_CODE) exit(1);
  void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) exit(1);
  return (void (*)(void))p;
}

__attribute__((noinline)) void main_spin(void) {
  for (int i = 0; i < 10000; i++) sink -= i;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 1.0;
  void *lib = dlopen(argv[2], RTLD_NOW);
  if (lib == NULL) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  void (*doomed_spin)(void) = (void (*)(void))dlsym(lib, "doomed_spin");
  unlink(argv[2]);
  void (*jit)(void) = memfd_code();
  fprintf(stdout, "ready\n");
  fflush(stdout);
  double end = now() + seconds;
  while (now() < end) {
    doomed_spin();
    jit();
    main_spin();
  }
  return 0;
}
