// The status-bar text of the current run: spinner while it trains, step, loss, first layer's clusters.
import { STATUS_LABELS, type RunInfo, type LayerPoint, type RunStatus } from '../protocol/panel';
import { formatLoss } from '../protocol/trainerProgress';

const ICONS: Record<RunStatus, string> = {
  running: '$(sync~spin)',
  watching: '$(eye)',
  finished: '$(check)',
  failed: '$(error)',
  stopped: '$(debug-stop)',
  ended: '$(circle-slash)',
};

type Latest = { layer: string; point: LayerPoint };

function figures(info: RunInfo, latest: Latest | undefined, first: string): string {
  const parts = [info.step !== undefined ? `step ${info.step}` : first];
  if (info.step !== undefined && info.totalSteps) parts[0] += ` / ${info.totalSteps}`;
  if (info.loss !== undefined) parts.push(`loss ${formatLoss(info.loss)}`);
  if (latest)
    parts.push(`${latest.layer}: ${latest.point.clusters} ${latest.point.clusters === 1 ? 'cluster' : 'clusters'}`);
  return parts.filter(Boolean).join(' · ');
}

export function statusText(info: RunInfo, latest?: Latest): string {
  return `${ICONS[info.status]} ${figures(info, latest, info.name)}`;
}

/** One line of the status bar's hover: "relu-1d-…: running · step 300 / 1000 · loss 0.012 · fc1: 2 clusters". */
export function statusLine(info: RunInfo, latest?: Latest): string {
  return [`${info.name}: ${STATUS_LABELS[info.status]}`, figures(info, latest, '')].filter(Boolean).join(' · ');
}
