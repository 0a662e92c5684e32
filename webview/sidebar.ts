// Entry of dist/webview/sidebar.js: the compact "Live Metrics" view: every live run in a list (pick one to
// show it), then the shown run's figures; clicking those opens the inspector panel.
import type { RunSummary } from '../src/protocol/panel';
import { connectHost } from './host';
import { runProgress, setProgressBar } from './progress';
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
  const list = document.createElement('ul');
  list.className = 'live-runs';
  list.setAttribute('aria-label', 'Live runs');
  root.replaceChildren(list, open);
  onThemeChange(() => {
    theme = readTheme();
    schedule();
  });

  /** One live run: its name, progress and latest figures; activating it shows it below. */
  function listItem(summary: RunSummary): HTMLElement {
    const { run, latest } = summary;
    const item = document.createElement('li');
    const pick = document.createElement('button');
    pick.type = 'button';
    pick.className = 'live-run';
    pick.dataset.run = run.id;
    pick.setAttribute('aria-current', String(run.id === state.run?.id));
    const progress = runProgress(run, run.step, Date.now());
    const name = document.createElement('strong');
    name.textContent = run.name;
    const facts = document.createElement('span');
    facts.className = 'facts';
    facts.textContent = [
      progress?.text ?? (run.step !== undefined ? `step ${run.step}` : ''),
      run.loss !== undefined ? `loss ${formatValue(run.loss)}` : '',
      latest ? `${latest.layer}: ${latest.clusters} clusters` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const bar = document.createElement('progress');
    setProgressBar(bar, progress?.fraction, progress?.text ?? '');
    pick.append(name, facts, bar);
    pick.addEventListener('click', () => channel.handler.send({ type: 'selectRun', id: run.id }));
    item.append(pick);
    return item;
  }

  function render(): void {
    frame = undefined;
    // Listed when there is more than the run shown below.
    const others = state.runs.some((r) => r.run.id !== state.run?.id);
    list.hidden = !others;
    list.replaceChildren(...(others ? state.runs.map(listItem) : []));
    const run = state.run;
    const title = document.createElement('strong');
    title.textContent = run ? `${run.name} — ${run.status}` : 'No run yet';
    const facts = document.createElement('span');
    facts.className = 'facts';
    const lastLoss = state.loss[state.loss.length - 1]?.loss;
    const step = latestStep(state);
    const progress = runProgress(run, step, Date.now());
    const bar = document.createElement('progress');
    setProgressBar(bar, progress?.fraction, progress?.text ?? '');
    facts.textContent = [
      progress?.text ?? (step !== undefined ? `step ${step}` : ''),
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
    open.replaceChildren(title, facts, bar, ...rows.map((r) => r.row));
    for (const r of rows) drawSparkline(r.canvas, r.points, theme.fields.clusters);
  }

  channel.handler.send({ type: 'ready' });
  schedule();
}

startSidebar(document.body);
