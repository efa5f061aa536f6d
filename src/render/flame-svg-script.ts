// The flame graph SVG's inline script: tooltip line, click to zoom, Reset Zoom, regex search with the matched
// share. Bundled by scripts/build.js into a string the renderer embeds. It reads frame names only from the DOM
// (title text) and writes them only through textContent, so no profile string is ever parsed as markup or code.
import { coveredWeight, fitText, type FrameBox, percent, X_PAD, zoomRole } from './flame-layout';

interface Frame extends FrameBox {
  g: SVGGElement;
  rect: SVGRectElement;
  label: SVGTextElement;
  name: string;
  fill: string;
}

/** The frame name inside a tooltip `name (N unit, P%)`; names may contain ` (` themselves. */
export function nameFromTooltip(tip: string): string {
  const at = tip.lastIndexOf(' (');
  return at < 0 ? tip : tip.slice(0, at);
}

export function installFlameGraph(doc: Document): void {
  const svg = doc.documentElement as unknown as SVGSVGElement;
  const width = Number(svg.getAttribute('data-width'));
  const total = Number(svg.getAttribute('data-total'));
  const inner = width - 2 * X_PAD;
  const byId = (id: string): Element => doc.getElementById(id)!;
  const details = byId('details');
  const matched = byId('matched');
  const searchButton = byId('search');
  const unzoomButton = byId('unzoom');

  const frames: Frame[] = [];
  for (const g of Array.from(doc.querySelectorAll('#frames > g')) as SVGGElement[]) {
    const rect = g.querySelector('rect')!;
    frames.push({
      g,
      rect,
      label: g.querySelector('text')!,
      name: nameFromTooltip(g.querySelector('title')!.textContent ?? ''),
      fill: rect.getAttribute('fill') ?? '',
      x: Number(g.getAttribute('data-x')),
      w: Number(g.getAttribute('data-w')),
      depth: Number(g.getAttribute('data-d')),
    });
  }
  const byElement = new Map<Element, Frame>(frames.map((f) => [f.g, f]));

  const place = (f: Frame, x: number, px: number): void => {
    f.rect.setAttribute('x', (X_PAD + x).toFixed(2));
    f.rect.setAttribute('width', px.toFixed(2));
    f.label.setAttribute('x', (X_PAD + x + 3).toFixed(2));
    f.label.textContent = fitText(f.name, px);
  };

  const zoom = (target: Frame): void => {
    unzoomButton.classList.remove('hide');
    const scale = inner / target.w;
    for (const f of frames) {
      const role = zoomRole(f, target);
      f.g.classList.toggle('hide', role === 'hidden');
      f.g.classList.toggle('parent', role === 'ancestor');
      if (role === 'inside') place(f, (f.x - target.x) * scale, f.w * scale);
      else if (role === 'ancestor') place(f, 0, inner);
    }
  };

  const unzoom = (): void => {
    unzoomButton.classList.add('hide');
    const scale = inner / total;
    for (const f of frames) {
      f.g.classList.remove('hide', 'parent');
      place(f, f.x * scale, f.w * scale);
    }
  };

  const clearSearch = (): void => {
    for (const f of frames) f.rect.setAttribute('fill', f.fill);
    searchButton.classList.remove('show');
    searchButton.textContent = 'Search';
    matched.textContent = ' ';
  };

  const search = (term: string): void => {
    let re: RegExp;
    try {
      re = new RegExp(term);
    } catch {
      matched.textContent = 'Invalid regular expression';
      return;
    }
    const hits: Frame[] = [];
    for (const f of frames) {
      const hit = re.test(f.name);
      f.rect.setAttribute('fill', hit ? 'rgb(230,0,230)' : f.fill);
      if (hit) hits.push(f);
    }
    searchButton.classList.add('show');
    searchButton.textContent = 'Reset Search';
    matched.textContent = `Matched: ${percent(coveredWeight(hits), total)}`;
  };

  const askSearch = (): void => {
    if (searchButton.classList.contains('show')) {
      clearSearch();
      return;
    }
    const term = window.prompt('Search for (regular expression, e.g. ^ext4_):', '');
    if (term) search(term);
  };

  const frameOf = (target: EventTarget | null): Frame | undefined => {
    const g = (target as Element | null)?.closest?.('#frames > g');
    return g ? byElement.get(g) : undefined;
  };

  svg.addEventListener('click', (e) => {
    const f = frameOf(e.target);
    if (f) zoom(f);
    else if (e.target === unzoomButton) unzoom();
    else if (e.target === searchButton) askSearch();
  });
  svg.addEventListener('mouseover', (e) => {
    const f = frameOf(e.target);
    if (f) details.textContent = `Function: ${f.g.querySelector('title')!.textContent ?? ''}`;
  });
  svg.addEventListener('mouseout', () => {
    details.textContent = ' ';
  });
  window.addEventListener('keydown', (e) => {
    if ((e.key === 'f' && (e.ctrlKey || e.metaKey)) || e.key === '/') {
      e.preventDefault();
      askSearch();
    } else if (e.key === 'Escape') {
      unzoom();
      clearSearch();
    }
  });
}
