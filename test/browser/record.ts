// Records the host messages of real runs for the browser tests: the engine's analyzeRun + layerDetail output.
// usage: npx tsx test/browser/record.ts <run folder>... <out.json> (several folders: one `init` over all the runs,
// as a Compare panel gets it)
import { writeFile } from 'node:fs/promises';
import { collectRunMessages } from '../../src/cli/reportMessages';
import { withDefaults } from '../../src/protocol/settings';
import type { HostMessage } from '../../src/protocol/panel';
import { encodeReportMessages } from '../../src/report/standalonePage';

/** Details at the first, third, middle and last analysed checkpoints: enough to scrub between. */
const DETAIL_POSITIONS = (n: number) => [...new Set([0, Math.min(2, n - 1), Math.floor(n / 2), n - 1])];

async function main(args: string[]): Promise<void> {
  const out = args.at(-1);
  const folders = args.slice(0, -1);
  if (!out || folders.length === 0) throw new Error('usage: npx tsx test/browser/record.ts <run folder>... <out.json>');
  const runs = await Promise.all(folders.map((f) => collectRunMessages(f, withDefaults(), DETAIL_POSITIONS)));
  const inits = runs.flatMap(({ messages }) => messages.flatMap((m) => (m.type === 'init' ? m.runs : [])));
  const details = runs.flatMap(({ messages }) => messages.filter((m) => m.type === 'detail'));
  const messages: HostMessage[] = [{ type: 'init', runs: inits }, ...details];
  await writeFile(out, encodeReportMessages(messages) + '\n');
  process.stdout.write(`${out}: ${messages.length} messages\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
});
