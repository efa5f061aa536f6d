// Two threads named with a space in their comm ("worker one", "worker two") and a main thread with a one-word
// comm ("threads"), each burning CPU in its own function, so that headers without pid/tid must tell them apart.
// Usage: threads SECONDS
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;
static double seconds = 1.0;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void spin_one(void) {
  for (int i = 0; i < 10000; i++) sink += i;
}

__attribute__((noinline)) void spin_two(void) {
  for (int i = 0; i < 10000; i++) sink ^= i;
}

__attribute__((noinline)) void spin_main(void) {
  for (int i = 0; i < 10000; i++) sink -= i;
}

static void *worker(void *arg) {
  int which = (int)(long)arg;
  pthread_setname_np(pthread_self(), which == 1 ? "worker one" : "worker two");
  double end = now() + seconds;
  while (now() < end) {
    if (which == 1) spin_one();
    else spin_two();
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1) seconds = atof(argv[1]);
  pthread_t a, b;
  pthread_create(&a, NULL, worker, (void *)1L);
  pthread_create(&b, NULL, worker, (void *)2L);
  double end = now() + seconds;
  while (now() < end) spin_main();
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
