// A busy loop, pinned by taskset: the CPU filter's test recording.
int main(void) { volatile unsigned long x = 0; for (;;) x++; }
