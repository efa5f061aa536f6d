// A CPU burner with a small, stable call graph (main -> run -> outer -> inner_a / inner_b) for perf recordings.
// Usage: burn SECONDS
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) void inner_a(void) {
  for (int i = 0; i < 20000; i++) sink += i * 3;
}

__attribute__((noinline)) void inner_b(void) {
  for (int i = 0; i < 10000; i++) sink ^= i * 7;
}

__attribute__((noinline)) void outer(void) {
  inner_a();
  inner_b();
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void run(double seconds) {
  double end = now() + seconds;
  while (now() < end) outer();
}

int main(int argc, char **argv) {
  run(argc > 1 ? atof(argv[1]) : 1.0);
  return 0;
}
