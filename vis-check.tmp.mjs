import { chromium } from 'playwright-core';
import fs from 'node:fs';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage();
p.on('pageerror', (e) => console.log('PAGEERR', e.message, e.stack?.split('\n').slice(0,6).join(' | ')));
await p.setContent('<canvas id=c width=400 height=300></canvas>');
await p.addScriptTag({ content: fs.readFileSync('node_modules/chart.js/dist/chart.umd.min.js', 'utf8') });
const r = await p.evaluate(() => {
  try {
    const plugin = { id: 'barValueLabels', descriptors: { _scriptable: false, _indexable: false }, afterDatasetsDraw(chart) { const f = chart.options.plugins?.barValueLabels?.format; window.__f = typeof f; } };
    Chart.register(plugin);
    new Chart(document.getElementById('c'), { type: 'line', data: { labels: ['a','b','c'], datasets: [
      { label: 'u', data: [1,2,null], fill: false }, { label: 'l', data: [0,1,null], fill: '-1' }, { label: 'n', data: [5, null, 3], pointStyle: ['circle','rectRot','circle'] },
      { type: 'bar', label: 'few', data: [null, [-100, 100], null] } ] },
      options: { animation: false, scales: { x: { offset: true }, y: {} }, plugins: { barValueLabels: { format: (d, i) => 'x' + i } } } });
    return 'ok ' + window.__f;
  } catch (e) { return 'ERR ' + e.message + ' ' + e.stack; }
});
console.log(r);
await b.close();
