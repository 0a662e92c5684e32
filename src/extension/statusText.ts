// The status-bar text of the current run: spinner while it trains, step, loss, first layer's clusters.
import type { RunInfo, LayerPoint, RunStatus } from '../protocol/panel';
import { formatLoss } from '../protocol/trainerProgress';

const ICONS: Record<RunStatus, string> = {
  running: '$(sync~spin)',
  watching: '$(eye)',
  finished: '$(check)',
  failed: '$(error)',
  stopped: '$(debug-stop)',
};

export function statusText(info: RunInfo, latest?: { layer: string; point: LayerPoint }): string {
  const parts = [info.step !== undefined ? `step ${info.step}` : info.name];
  if (info.loss !== undefined) parts.push(`loss ${formatLoss(info.loss)}`);
  if (latest)
    parts.push(`${latest.layer}: ${latest.point.clusters} ${latest.point.clusters === 1 ? 'cluster' : 'clusters'}`);
  return `${ICONS[info.status]} ${parts.join(' · ')}`;
}
