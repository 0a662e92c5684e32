// The side bar's sparkline of clusters over checkpoints, drawn on a small canvas.
import type { LayerPoint } from '../src/protocol/panel';
import { sparklinePoints } from '../src/report/sparkline';

export { sparklinePoints };

export function drawSparkline(canvas: HTMLCanvasElement, points: readonly LayerPoint[], color: string): void {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 120;
  const h = canvas.clientHeight || 22;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.scale(dpr, dpr);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  sparklinePoints(
    points.map((p) => p.clusters),
    w,
    h,
  ).forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.stroke();
}
