// The progress line of a long read on a terminal (stderr, TTY only): a bar, bytes read of the total, the rate
// and the time left. A pure function of what was read and when, so it is tested without a terminal; input
// whose size is unknown (stdin, a pipe) gets bytes and rate without a bar.

/** Bytes in megabytes (10^6) with one decimal, as the benchmark and the README count them. */
function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

/**
 * `[########............] 41% 47.0/114.0 MB, 235.0 MB/s, 0.3 s left`; `total` ≤ 0: `47.0 MB, 235.0 MB/s`.
 * The bar is `width` cells; the rate is over the whole read so far.
 */
export function progressLine(read: number, total: number, elapsedMs: number, width = 24): string {
  const rate = elapsedMs > 0 ? read / (elapsedMs / 1000) : 0;
  const speed = `${mb(rate)} MB/s`;
  if (total <= 0) return `${mb(read)} MB, ${speed}`;
  const done = Math.min(1, read / total);
  const filled = Math.floor(done * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const left = rate > 0 ? `, ${duration((total - Math.min(read, total)) / rate)} left` : '';
  return `${bar} ${Math.floor(done * 100)}% ${mb(read)}/${mb(total)} MB, ${speed}${left}`;
}
