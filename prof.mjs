import { chromium } from 'playwright-core';
const [file, action] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1400, height: 1000 } });
await p.goto('file://' + file);
await p.evaluate(() => window.flamescope.ready);
await p.waitForTimeout(1500);
const cdp = await p.context().newCDPSession(p);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
const ms = await p.evaluate(async (action) => { const t = performance.now(); await eval(action); return performance.now() - t; }, action);
const { profile } = await cdp.send('Profiler.stop');
console.log('ms', ms.toFixed(1));
// self time per function
const self = new Map(); const byId = new Map(profile.nodes.map(n => [n.id, n]));
const dt = profile.timeDeltas; 
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const n = byId.get(profile.samples[i]); const d = (dt[i+1] ?? 0) / 1000;
  const k = n.callFrame.functionName || '(anon)'; self.set(k, (self.get(k) ?? 0) + d);
  const seen = new Set(); for (let id = n.id; id !== undefined; id = parent.get(id)) { const f = byId.get(id).callFrame.functionName || '(anon)'; if (seen.has(f)) continue; seen.add(f); incl.set(f, (incl.get(f) ?? 0) + d); }
}
console.log('self', [...self].sort((a,b)=>b[1]-a[1]).slice(0,12).map(([k,v])=>`${k} ${v.toFixed(1)}`).join(' | '));
console.log('incl', [...incl].sort((a,b)=>b[1]-a[1]).slice(0,30).map(([k,v])=>`${k} ${v.toFixed(1)}`).join(' | '));
await b.close();
