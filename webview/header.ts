// The panel header: run, status, backend, step and loss, Stop, the layer picker, quick setting toggles, export,
// unreadable checkpoints and the notes of readable ones.
import { groupNotes, noteLine } from '../src/protocol/checkpointNotes';
import { STATUS_LABELS, type ExportFormat, type WebviewMessage } from '../src/protocol/panel';
import { runProgress, setProgressBar } from './progress';
import { formatValue } from './series';
import { runLabels } from '../src/protocol/runLabels';
import { latestStep, type Action, type PanelState } from './state';
import { button, dropdown, type Control } from './toolkit';

/** Thresholds the quick toggle offers (the current setting is added when it is not one of them). */
export const THRESHOLD_CHOICES = [0.8, 0.9, 0.95, 0.98, 0.99];

/** PNG pixels per SVG unit the export offers. */
export const PNG_SCALES = [1, 2, 4];

export class Header {
  readonly element: HTMLElement;
  private readonly title = document.createElement('h1');
  private readonly status = document.createElement('span');
  private readonly facts = document.createElement('span');
  private readonly progress = document.createElement('progress');
  private readonly stop: HTMLElement;
  private readonly layer: Control<{ choices?: { value: string; label: string }[]; value: string }>;
  /** Compare: the run the toggles, the facts and the Layers table are about. */
  private readonly focus: Control<{ choices?: { value: string; label: string }[]; value: string }>;
  private runId: string | undefined;
  private readonly threshold: Control<{ choices?: { value: string; label: string }[]; value: string }>;
  private readonly similarity: Control<{ value: string }>;
  private readonly problems = document.createElement('p');
  private readonly notes = document.createElement('div');
  /** What the notes show now, so that a render that changes nothing keeps the user's open details. */
  private notesShown = '';
  private readonly message = document.createElement('p');
  /** The PNG scale chosen. */
  scale = 2;

  constructor(
    dispatch: (a: Action) => void,
    send: (m: WebviewMessage) => void,
    onExport: (f: ExportFormat) => void,
    standalone: boolean,
  ) {
    this.element = document.createElement('header');
    this.element.className = 'panel-header';
    const top = document.createElement('div');
    top.className = 'header-row';
    this.facts.className = 'facts';
    this.stop = button('Stop', () => this.runId && send({ type: 'stop', run: this.runId }), { title: 'Stop the run' });
    this.stop.hidden = true;
    const refresh = button('Refresh', () => send({ type: 'refresh' }), {
      secondary: true,
      title: 'Scan the run folder for new checkpoints now',
    });
    // A report's figures are fixed: there is no folder to scan.
    refresh.hidden = standalone;
    this.status.className = 'status-badge';
    this.progress.className = 'run-progress';
    top.append(this.title, this.status, this.facts, this.progress, this.stop, refresh);

    const controls = document.createElement('div');
    controls.className = 'header-row controls';
    this.layer = dropdown('Layer', [], '', (layer) => dispatch({ type: 'selectLayer', layer }));
    this.focus = dropdown('Run', [], '', (run) => dispatch({ type: 'focusRun', run }));
    this.focus.element.hidden = true;
    // The choice is this panel's: it is kept in the panel's state and applies to the run it names only.
    this.threshold = dropdown('Threshold τ', [], '', (v) => {
      if (!this.runId) return;
      dispatch({ type: 'choose', run: this.runId, choices: { threshold: Number(v) } });
      send({ type: 'setSetting', run: this.runId, key: 'threshold', value: Number(v) });
    });
    this.similarity = dropdown(
      'Similarity',
      [
        { value: 'signed', label: 'signed' },
        { value: 'absolute', label: 'absolute' },
      ],
      'signed',
      (v) => {
        const similarity = v === 'absolute' ? 'absolute' : 'signed';
        if (!this.runId) return;
        dispatch({ type: 'choose', run: this.runId, choices: { similarity } });
        send({ type: 'setSetting', run: this.runId, key: 'similarity', value: similarity });
      },
    );
    const exports = document.createElement('div');
    exports.className = 'exports';
    exports.setAttribute('role', 'group');
    exports.setAttribute('aria-label', 'Export');
    const scale = dropdown(
      'PNG scale',
      PNG_SCALES.map((k) => ({ value: String(k), label: `${k}×` })),
      String(this.scale),
      (v) => (this.scale = Number(v)),
    );
    exports.append(
      button('SVG', () => onExport('svg'), { secondary: true, title: 'Export the visible figure as SVG' }),
      button('PNG', () => onExport('png'), { secondary: true, title: 'Export the visible chart as PNG' }),
      scale.element,
      button('CSV', () => onExport('csv'), { secondary: true, title: 'Export all series as CSV' }),
      button('HTML report', () => onExport('html'), {
        secondary: true,
        title: 'Export a standalone HTML report of the run',
      }),
    );
    controls.append(this.layer.element, this.focus.element, this.threshold.element, this.similarity.element, exports);
    this.problems.className = 'problems';
    this.notes.className = 'notes';
    this.notes.hidden = true;
    this.message.className = 'message';
    this.message.setAttribute('role', 'status');
    this.element.append(top, controls, this.problems, this.notes, this.message);
    // A report's figures were computed once: its settings cannot change.
    if (standalone)
      for (const c of [this.threshold, this.similarity])
        c.element.querySelector('vscode-dropdown')?.setAttribute('disabled', '');
  }

  update(state: PanelState): void {
    const run = state.run;
    this.runId = run?.id;
    const compared = state.compared.length > 1;
    this.focus.element.hidden = !compared;
    if (compared) {
      const labels = runLabels(state.compared.map((r) => r.run));
      this.focus.set({
        choices: state.compared.map((r, i) => ({ value: r.run.id, label: labels[i] })),
        value: run?.id ?? '',
      });
    }
    this.title.textContent = compared ? `Comparing ${state.compared.length} runs` : (run?.name ?? 'Condensation Lens');
    this.title.title = run?.folder ?? '';
    this.status.textContent = run ? STATUS_LABELS[run.status] : 'waiting';
    this.status.dataset.status = run?.status ?? 'waiting';
    const step = latestStep(state);
    const loss = run?.loss ?? (state.loss.length > 0 ? state.loss[state.loss.length - 1].loss : undefined);
    const progress = runProgress(run, step, Date.now());
    setProgressBar(this.progress, progress?.fraction, progress?.text ?? '');
    const facts = [
      run?.backend ? `backend ${run.backend}` : '',
      run?.preset ? `preset ${run.preset}` : '',
      progress?.text ?? (step !== undefined ? `step ${step}` : ''),
      loss !== undefined ? `loss ${formatValue(loss)}` : '',
      run?.reanalysis ? `re-analysing ${run.reanalysis.done} / ${run.reanalysis.total}` : '',
    ];
    this.facts.textContent = facts.filter(Boolean).join(' · ');
    this.stop.hidden = run?.status !== 'running';
    this.layer.set({ choices: state.layers.map((l) => ({ value: l, label: l })), value: state.view.layer ?? '' });
    const settings = state.settings;
    if (settings) {
      const values = [...new Set([...THRESHOLD_CHOICES, settings.threshold])].sort((a, b) => a - b);
      this.threshold.set({
        choices: values.map((v) => ({ value: String(v), label: String(v) })),
        value: String(settings.threshold),
      });
      this.similarity.set({ value: settings.similarity });
    }
    const n = state.problems.length;
    this.problems.hidden = n === 0;
    this.problems.textContent =
      n === 0
        ? ''
        : `${n} checkpoint${n > 1 ? 's' : ''} could not be read: ${state.problems.map((p) => p.error).join('; ')}`;
    this.showNotes(state);
    if (run?.message) this.setMessage(run.message);
  }

  /** One line per distinct note; a note of several checkpoints opens to their names. */
  private showNotes(state: PanelState): void {
    const groups = groupNotes(state.notes);
    const shown = JSON.stringify(groups);
    if (shown === this.notesShown) return;
    this.notesShown = shown;
    // A line the user opened stays open when its checkpoints change.
    const open = new Set(Array.from(this.notes.querySelectorAll<HTMLElement>('details[open]'), (d) => d.dataset.note));
    this.notes.hidden = groups.length === 0;
    this.notes.replaceChildren(
      ...groups.map((g) => {
        if (g.checkpoints.length === 1) {
          const line = document.createElement('p');
          line.className = 'note';
          line.textContent = noteLine(g);
          return line;
        }
        const details = document.createElement('details');
        details.className = 'note';
        details.dataset.note = g.note;
        details.open = open.has(g.note);
        const summary = document.createElement('summary');
        summary.textContent = noteLine(g);
        const names = document.createElement('p');
        names.className = 'note-checkpoints';
        names.textContent = g.checkpoints.join(', ');
        details.append(summary, names);
        return details;
      }),
    );
  }

  /** A line for errors and notices (replies that failed, exports). */
  setMessage(text: string): void {
    this.message.textContent = text;
  }
}
