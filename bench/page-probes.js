// Code the report benchmark runs inside the page (each function is serialised by playwright, so it must not
// use anything from this module's scope). All times are the page's own performance.now(), so the round trips
// between node and Chromium are not counted.
//
// "Painted" is measured as the end of the first frame after the work: a requestAnimationFrame callback runs in
// the frame's rendering steps, and a message posted from it is handled once that frame's style, layout and
// paint are done. So an interaction's time is: input queueing + handlers + any drawing done in those handlers
// or in rAF callbacks they scheduled + waiting for the frame (up to one vsync, ~16 ms, in headless Chromium
// too) + that frame's layout and paint. Rasterisation on the compositor is not counted.

/**
 * Before any page script: records when `window.flamescope.ready` settles, by catching the assignment of
 * `window.flamescope`. `window.__benchReady` becomes { at: ms since navigation } or { error: message }.
 */
export function recordReady() {
  let api;
  Object.defineProperty(window, 'flamescope', {
    configurable: true,
    enumerable: true,
    get: () => api,
    set(value) {
      api = value;
      Promise.resolve(value?.ready).then(
        () => (window.__benchReady = { at: performance.now() }),
        (e) => (window.__benchReady = { error: String(e?.message ?? e) }),
      );
    },
  });
}

/** Installs `window.__bench`: the painted-time helper, the mouse-move recorder and cell geometry. */
export function installProbes() {
  if (window.__bench !== undefined) return;
  const afterPaint = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(null);
      }),
    );
  // Every pointer move (pointermove comes before the compatibility mousemove, so whichever the page listens
  // to has not run yet): from the input's timestamp to the end of the next frame.
  const moves = [];
  let waiters = [];
  window.addEventListener(
    'pointermove',
    (e) => {
      const start = e.timeStamp;
      afterPaint().then((end) => {
        moves.push(end - start);
        for (const w of waiters) w();
        waiters = [];
      });
    },
    { capture: true },
  );
  const heatmapCanvas = () => document.querySelector('.hm-cells');
  /** The cell geometry the heat map publishes on its canvas, or a reason why there is none. */
  const geometry = () => {
    const el = heatmapCanvas();
    if (el === null) return { na: 'no .hm-cells canvas' };
    const d = el.dataset;
    const g = { columns: Number(d.columns), rows: Number(d.rows), cellWidth: Number(d.cellWidth), cellHeight: Number(d.cellHeight) };
    if (!Object.values(g).every((x) => x > 0)) return { na: '.hm-cells has no data-columns/rows/cell-width/cell-height' };
    // The element that scrolls the cells sideways: the nearest ancestor that can, else the parent.
    let scroller = el.parentElement;
    while (scroller !== null && !(scroller.scrollWidth > scroller.clientWidth && /auto|scroll/.test(getComputedStyle(scroller).overflowX))) {
      scroller = scroller.parentElement;
    }
    return { el, scroller: scroller ?? el.parentElement, ...g };
  };
  window.__bench = {
    afterPaint,
    moves,
    /** Resolves with the n-th move's time (1-based) once recorded, or { na } after `timeoutMs`. */
    move(n, timeoutMs) {
      if (moves.length >= n) return Promise.resolve(moves[n - 1]);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ na: `no frame after mouse move ${n} within ${timeoutMs} ms` }), timeoutMs);
        const check = () => {
          if (moves.length >= n) {
            clearTimeout(timer);
            resolve(moves[n - 1]);
          } else waiters.push(check);
        };
        waiters.push(check);
      });
    },
    geometry() {
      const g = geometry();
      return g.na !== undefined ? g : { columns: g.columns, rows: g.rows, cellWidth: g.cellWidth, cellHeight: g.cellHeight };
    },
    /** Brings the heat map into the window and scrolls its cells so `column` is about 200 px from the left. */
    async reveal(column) {
      const g = geometry();
      if (g.na !== undefined) return g;
      const top = g.el.getBoundingClientRect().top;
      if (top < 0 || top + g.rows * g.cellHeight > innerHeight) scrollBy(0, top - 60);
      g.scroller.scrollLeft = Math.max(0, column * g.cellWidth - 200);
      await afterPaint();
      return {};
    },
    /**
     * The window position of the centre of cell (column, row), row 0 at the bottom, without scrolling; or
     * { na } when that point is not on the heat map. A canvas as wide as the whole grid has column 0 at its left
     * edge (the layout test/support/browser.ts cellPoint assumes); a virtualised, narrower canvas is taken to
     * draw column c at c × cell width in its scroller's content.
     */
    cellPoint(column, row) {
      const g = geometry();
      if (g.na !== undefined) return g;
      const box = g.el.getBoundingClientRect();
      const spansGrid = Math.abs(box.width - g.columns * g.cellWidth) < g.cellWidth;
      let left = box.left;
      if (!spansGrid) {
        const s = g.scroller.getBoundingClientRect();
        left = s.left + g.scroller.clientLeft + parseFloat(getComputedStyle(g.scroller).paddingLeft || '0') - g.scroller.scrollLeft;
      }
      const x = left + (column + 0.5) * g.cellWidth;
      const y = box.top + (g.rows - 1 - row + 0.5) * g.cellHeight;
      const hit = document.elementFromPoint(x, y);
      const panel = g.el.closest('section') ?? g.scroller;
      if (hit === null || !panel.contains(hit)) return { na: `cell ${column},${row} is not under (${x.toFixed(0)}, ${y.toFixed(0)})` };
      return { x, y };
    },
    /**
     * Clicks the hide-idle checkbox; resolves with the ms until both panels are drawn again. That is the first
     * frame after the click's handlers, or, when the panels change later (a redraw deferred to a timer or a
     * worker), the first frame after the last change in either panel seen before they stay quiet for
     * `quietMs` (changes: DOM mutations in #heatmap and #flamegraph, canvas resizes included).
     */
    async toggleIdle(quietMs) {
      const box = document.querySelector('#idle');
      if (box === null) return { na: 'no #idle checkbox' };
      const panels = ['#heatmap', '#flamegraph'].map((s) => document.querySelector(s)).filter((p) => p !== null);
      let lastChange = 0;
      let lastPaint = 0;
      const observer = new MutationObserver(() => {
        lastChange = performance.now();
        afterPaint().then((t) => (lastPaint = Math.max(lastPaint, t)));
      });
      for (const p of panels) observer.observe(p, { attributes: true, childList: true, subtree: true, characterData: true });
      const start = performance.now();
      box.click();
      const firstPaint = await afterPaint();
      const giveUp = performance.now() + 30000;
      while (performance.now() - Math.max(lastChange, firstPaint) < quietMs && performance.now() < giveUp) {
        await new Promise((r) => setTimeout(r, 50));
      }
      observer.disconnect();
      await afterPaint();
      return Math.max(firstPaint, lastPaint) - start;
    },
  };
}
