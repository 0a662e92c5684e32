// `npm run bench [engine|scale|startup|layers|trainer|phase|live]…`: every benchmark (or those named), each printed next to a
// baseline or goal measured in the same run. `scale:gpt2` (or `scale:memory`) runs one part of a bench.
import { benchEngine } from './engine';
import { benchLayers } from './layers';
import { benchLive } from './live';
import { benchPhase } from './phase';
import { benchScale } from './scale';
import { benchStartup } from './startup';
import { benchTrainer } from './trainer';

const BENCHES: Record<string, (parts: string[]) => Promise<void> | void> = {
  engine: benchEngine,
  scale: benchScale,
  startup: benchStartup,
  layers: benchLayers,
  trainer: benchTrainer,
  phase: benchPhase,
  live: benchLive,
};

(async () => {
  const args = process.argv.slice(2).map((a) => a.split(':'));
  const named = args.map(([name]) => name);
  const unknown = named.filter((n) => !(n in BENCHES));
  if (unknown.length)
    throw new Error(`unknown bench ${unknown.join(', ')}; the benches are ${Object.keys(BENCHES).join(', ')}`);
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (named.length > 0 && !named.includes(name)) continue;
    await bench(args.filter(([n]) => n === name).flatMap(([, part]) => (part ? [part] : [])));
  }
})().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
