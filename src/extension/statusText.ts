// The status-bar text of the current run: spinner while it trains, step, loss, first layer's clusters.
import type { RunInfo, LayerPoint, RunStatus } from '../protocol/panel';

const ICONS: Record<RunStatus, string> = {
  running: '$(sync~spin)',
  watching: '$(eye)',
  finished: '$(check)',
  failed: '$(error)',
  stopped: '$(debug-stop)',
  ended: '$(circle-slash)',
};

/** Loss with three significant digits, in exponent form when small. */
export function formatLoss(loss: number): string {
  return Math.abs(loss) >= 0.01 || loss === 0 ? loss.toPrecision(3) : loss.toExponential(2);
}

export function statusText(info: RunInfo, latest?: { layer: string; point: LayerPoint }): string {
  const parts = [info.step !== undefined ? `step ${info.step}` : info.name];
  if (info.loss !== undefined) parts.push(`loss ${formatLoss(info.loss)}`);
  if (latest)
    parts.push(`${latest.layer}: ${latest.point.clusters} ${latest.point.clusters === 1 ? 'cluster' : 'clusters'}`);
  return `${ICONS[info.status]} ${parts.join(' · ')}`;
}
