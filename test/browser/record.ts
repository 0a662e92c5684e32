// Records the host messages of a real run for the browser tests: the engine's analyzeRun + layerDetail output.
// usage: npx tsx test/browser/record.ts <run folder> <out.json>
import { writeFile } from 'node:fs/promises';
import { collectRunMessages } from '../../src/cli/reportMessages';
import { withDefaults } from '../../src/protocol/settings';
import { encodeReportMessages } from '../../src/report/standalonePage';

/** Details at the first, third, middle and last analysed checkpoints: enough to scrub between. */
const DETAIL_POSITIONS = (n: number) => [...new Set([0, Math.min(2, n - 1), Math.floor(n / 2), n - 1])];

async function main([folder, out]: string[]): Promise<void> {
  if (!folder || !out) throw new Error('usage: npx tsx test/browser/record.ts <run folder> <out.json>');
  const { messages } = await collectRunMessages(folder, withDefaults(), DETAIL_POSITIONS);
  await writeFile(out, encodeReportMessages(messages) + '\n');
  process.stdout.write(`${out}: ${messages.length} messages\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
});
