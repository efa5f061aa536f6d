// A shared library that is deleted while the program that loaded it runs (see doomed.c).
static volatile unsigned long sink;

__attribute__((noinline)) static void doomed_leaf(void) {
  for (int i = 0; i < 20000; i++) sink += i;
}

__attribute__((noinline)) void doomed_spin(void) {
  doomed_leaf();
  for (int i = 0; i < 5000; i++) sink ^= i;
}
