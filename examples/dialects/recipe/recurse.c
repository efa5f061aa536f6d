// A deep recursion: descend DEPTH frames, burn CPU at the bottom, come back up, repeat.
// Usage: recurse SECONDS DEPTH
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void bottom(void) {
  for (int i = 0; i < 200000; i++) sink += i;
}

__attribute__((noinline)) int descend(int depth) {
  if (depth == 0) {
    bottom();
    return 0;
  }
  // The addition after the call keeps it from becoming a tail call, so every level keeps its frame.
  return descend(depth - 1) + (int)(sink & 1);
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 1.0;
  int depth = argc > 2 ? atoi(argv[2]) : 1000;
  double end = now() + seconds;
  while (now() < end) sink += descend(depth);
  return 0;
}
