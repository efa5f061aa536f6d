// A small workload with a known shape for the V8 importers' tests: for 2 s, busy in `hot` during the first
// 100 ms of every 250 ms (four bands a second), waiting on short timers otherwise.
const start = Date.now();
function hot() {
  let s = 0;
  for (let i = 0; i < 1e5; i++) s += Math.sqrt(i);
  return s;
}
function tick() {
  const t = Date.now() - start;
  if (t > 2000) return;
  if (t % 250 < 100) {
    hot();
    setImmediate(tick);
  } else setTimeout(tick, 5);
}
tick();
