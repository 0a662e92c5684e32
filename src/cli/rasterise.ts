// PNG from a figure's SVG with resvg (native binaries shipped in its npm packages): no browser needed.
import { Resvg } from '@resvg/resvg-js';
import { FIGURE_FONT_FALLBACK } from '../report/svg/svg';

/** `scale` PNG pixels per SVG unit; text in the system fonts, DejaVu Sans when a family is missing. */
export function rasterise(svg: string, scale: number): Buffer {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: FIGURE_FONT_FALLBACK },
  });
  return r.render().asPng();
}
