// PNG from a figure's SVG with resvg (native binaries shipped in its npm packages): no browser needed.
import { FIGURE_FONT_FALLBACK } from '../report/svg/svg';

/**
 * `scale` PNG pixels per SVG unit; text in the system fonts, DejaVu Sans when a family is missing. resvg is loaded
 * here, on first use, so that the other commands never depend on its native binding.
 */
export async function rasterise(svg: string, scale: number): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js').catch((e: Error) => {
    throw new Error(
      `PNG output needs the @resvg/resvg-js package for this platform (${e.message.split('\n')[0]}); reinstall with npm, or write --format svg.`,
      { cause: e },
    );
  });
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: FIGURE_FONT_FALLBACK },
  });
  return r.render().asPng();
}
