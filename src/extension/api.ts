// What `activate` returns: a read-only view of the runs, for scripts and the end-to-end tests.
import type { Event } from 'vscode';
import type { RunStatus } from '../protocol/panel';
import { runLabels } from '../protocol/runLabels';
import type { PanelSession } from './panel/panelSession';
import type { RunSession } from './run/runSession';
import type { RunsTreeProvider } from './views/runsTree';

/** A sweep group of the Runs view: its folder and its runs' folders and labels, in grid order. */
export interface SweepGroupSnapshot {
  folder: string;
  /** Each run's node as the view draws it: its label and its description (`finished · step 40`). */
  runs: { folder: string; label: string; description?: string }[];
}

export interface RunSnapshot {
  /** The run folder (or checkpoint file) as an absolute path; also the id commands accept. */
  id: string;
  name: string;
  status: RunStatus;
  current: boolean;
  /** A launched process is still running. */
  running: boolean;
  step?: number;
  loss?: number;
  backend?: string;
  message?: string;
  /** Checkpoints analysed. */
  checkpoints: number;
  /** The step the run ends at, when known. */
  totalSteps?: number;
  /** The first layer's figures at the newest analysed checkpoint (what the Layers table shows last). */
  latest?: { layer: string; step: number; neurons: number; active: number; clusters: number; largestCluster: number };
  /** Points per layer in the run's time series. */
  series: Record<string, number>;
  /** Unreadable checkpoints, as "file: reason". */
  problems: string[];
  /** The run's inspector panel, if open: whether its webview said `ready`, and the points per layer it received. */
  panel?: { ready: boolean; delivered: Record<string, number>; selected?: { layer: string; step: number } };
}

/** An open panel over several runs (Compare): each run's label and the points per layer its webview received. */
export interface CompareSnapshot {
  ready: boolean;
  runs: { id: string; label: string; delivered: Record<string, number> }[];
}

export interface CondensationLensApi {
  runs(): RunSnapshot[];
  /** The open Compare panels. */
  compares(): CompareSnapshot[];
  /** The Runs view: the run folders it lists at its top level, and when it redraws. */
  runsView: { folders(): Promise<string[]>; sweeps(): Promise<SweepGroupSnapshot[]>; onDidChange: Event<void> };
  /** The sweeps this window drives: whether the driver runs, and how it ended. */
  sweeps(): { folder: string; running: boolean; end?: RunStatus }[];
  /** Whether the Phase Diagram of this folder is open. */
  phaseDiagramOpen(folder: string): boolean;
}

/** The sweep groups at the top of the Runs view, with the run nodes under each. */
export async function sweepGroups(tree: RunsTreeProvider): Promise<SweepGroupSnapshot[]> {
  const groups = (await tree.getChildren()).filter((n) => n.kind === 'sweep');
  return Promise.all(
    groups.map(async (g) => ({
      folder: g.folder,
      runs: (await tree.getChildren(g)).flatMap((n) => {
        if (n.kind !== 'run') return [];
        const { description } = tree.getTreeItem(n);
        return [{ folder: n.folder, label: n.label ?? '', description: description?.toString() }];
      }),
    })),
  );
}

export function snapshot(run: RunSession, current: boolean, panel: PanelSession | undefined): RunSnapshot {
  const { info, model } = run;
  return {
    id: run.id,
    name: info.name,
    status: info.status,
    current,
    running: run.running,
    step: info.step,
    loss: info.loss,
    backend: info.backend,
    message: info.message,
    checkpoints: model.checkpointCount,
    totalSteps: info.totalSteps,
    latest: model.latest && {
      layer: model.latest.layer,
      step: model.latest.point.step,
      neurons: model.latest.point.neurons,
      active: model.latest.point.active,
      clusters: model.latest.point.clusters,
      largestCluster: model.latest.point.largestCluster,
    },
    series: Object.fromEntries(model.layers.map((l) => [l, model.series(l).length])),
    problems: model.problems.map((p) => p.error),
    panel: panel && {
      ready: panel.isReady,
      delivered: Object.fromEntries(panel.delivered(run.id)),
      selected: panel.selected,
    },
  };
}

export function compareSnapshot(panel: PanelSession): CompareSnapshot {
  const labels = runLabels(panel.runs.map((r) => r.info));
  return {
    ready: panel.isReady,
    runs: panel.runs.map((r, i) => ({
      id: r.id,
      label: labels[i],
      delivered: Object.fromEntries(panel.delivered(r.id)),
    })),
  };
}
