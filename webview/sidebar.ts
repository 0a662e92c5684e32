// Entry of dist/webview/sidebar.js: the compact "Live Metrics" view; clicking it opens the inspector panel.
import { connectHost } from './host';
import { formatValue } from './series';
import { drawSparkline } from './sparkline';
import { initialState, latestStep, reduce, type PanelState } from './state';
import { onThemeChange, readTheme } from './theme';

function startSidebar(root: HTMLElement): void {
  let state: PanelState = initialState();
  let theme = readTheme();
  let frame: number | undefined;
  const schedule = () => (frame ??= requestAnimationFrame(render));
  const channel = connectHost((message) => {
    state = reduce(state, { type: 'host', message });
    schedule();
  });
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'live-metrics';
  open.setAttribute('aria-label', 'Live metrics of the run; activate to open the Condensation Lens inspector');
  open.addEventListener('click', () => channel.handler.send({ type: 'openPanel' }));
  root.replaceChildren(open);
  onThemeChange(() => {
    theme = readTheme();
    schedule();
  });

  function render(): void {
    frame = undefined;
    const run = state.run;
    const title = document.createElement('strong');
    title.textContent = run ? `${run.name} — ${run.status}` : 'No run yet';
    const facts = document.createElement('span');
    facts.className = 'facts';
    const lastLoss = state.loss[state.loss.length - 1]?.loss;
    const step = latestStep(state);
    facts.textContent = [
      step !== undefined ? `step ${step}` : '',
      (run?.loss ?? lastLoss) !== undefined ? `loss ${formatValue(run?.loss ?? lastLoss)}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const rows = state.layers.map((layer) => {
      const points = state.series[layer] ?? [];
      const row = document.createElement('span');
      row.className = 'spark-row';
      const name = document.createElement('span');
      name.textContent = layer;
      const canvas = document.createElement('canvas');
      canvas.setAttribute('aria-hidden', 'true');
      const value = document.createElement('span');
      Object.assign(value.dataset, { layer, field: 'clusters' });
      value.textContent = formatValue(points[points.length - 1]?.clusters);
      value.title = 'clusters at the latest checkpoint';
      row.append(name, canvas, value);
      return { row, canvas, points };
    });
    open.replaceChildren(title, facts, ...rows.map((r) => r.row));
    for (const r of rows) drawSparkline(r.canvas, r.points, theme.fields.clusters);
  }

  channel.handler.send({ type: 'ready' });
  schedule();
}

startSidebar(document.body);
