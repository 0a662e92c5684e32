// The docs ship with the repo: nothing a user reads may point to a design file outside it, and every
// relative link (and `docs/x.md "Section"` reference) in the docs, the README and the code leads somewhere real.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');

/** Files a user or contributor reads, besides the docs themselves. */
const SCANNED_FILES = [
  'README.md',
  'CHANGELOG.md',
  'package.json',
  'package.nls.json',
  'eslint.config.mjs',
  'esbuild.mjs',
];
const SCANNED_FOLDERS = ['src', 'webview', 'bench', 'test', 'docs'];
const TEXT_EXTENSIONS = new Set(['.ts', '.js', '.mjs', '.cjs', '.py', '.md', '.json', '.css', '.html']);
/** This file names the forbidden references on purpose. */
const SKIPPED = new Set(['test/unit/docs/references.test.ts']);

/** The design files that live outside the repo, by the names code and docs used for them. */
const OUTSIDE_REFERENCE = /shared\/design|\.\.\/shared\b|shared design|\b(?:METRICS|FORMATS|ARCHITECTURE|STYLE)\.md\b/g;

/** Markdown files whose links must resolve. */
function markdownFiles(): string[] {
  const docs = readdirSync(join(repo, 'docs'))
    .filter((n) => n.endsWith('.md'))
    .map((n) => join(repo, 'docs', n));
  return [join(repo, 'README.md'), join(repo, 'CHANGELOG.md'), ...docs];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.name === 'node_modules' || d.name.startsWith('.')) continue;
    const path = join(dir, d.name);
    if (d.isDirectory()) out.push(...walk(path));
    else if (TEXT_EXTENSIONS.has(extname(d.name))) out.push(path);
  }
  return out;
}

function scannedFiles(): string[] {
  const files = [...SCANNED_FILES.map((f) => join(repo, f)), ...SCANNED_FOLDERS.flatMap((f) => walk(join(repo, f)))];
  return files.filter((f) => !SKIPPED.has(relative(repo, f).split('\\').join('/')));
}

/** `file:line: text` for every mention of a file outside the repo. */
function outsideReferences(text: string, name: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) => (line.match(OUTSIDE_REFERENCE) ? [`${name}:${i + 1}: ${line.trim()}`] : []));
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdownPath: string): Set<string> {
  const text = withoutCodeBlocks(readFileSync(markdownPath, 'utf8'));
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => headingAnchor(m[1])));
}

function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** Relative links `[text](target#anchor)` of a markdown file whose file or heading does not exist. */
function brokenLinks(markdownPath: string): string[] {
  const text = withoutCodeBlocks(readFileSync(markdownPath, 'utf8'));
  const broken: string[] = [];
  for (const [, target] of text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, command:
    const [file, anchor] = target.split('#');
    const path = file ? resolve(dirname(markdownPath), file) : markdownPath;
    if (!existsSync(path)) broken.push(`${markdownPath}: ${target} (no such file)`);
    else if (anchor && statSync(path).isFile() && path.endsWith('.md') && !anchorsOf(path).has(anchor))
      broken.push(`${markdownPath}: ${target} (no such heading)`);
  }
  return broken;
}

/** `docs/formats.md "A run folder"` in code or docs: the section must exist in that file. */
function missingSections(text: string, name: string, docsRoot: string): string[] {
  const missing: string[] = [];
  for (const [ref, file, section] of text.matchAll(/docs\/([\w-]+\.md),? "([^"]+)"/g)) {
    const path = join(docsRoot, file);
    if (!existsSync(path) || !anchorsOf(path).has(headingAnchor(section))) missing.push(`${name}: ${ref}`);
  }
  return missing;
}

describe('docs live in the repo', () => {
  it('no file a user reads refers to a design file outside the repo', () => {
    const found = scannedFiles().flatMap((f) => outsideReferences(readFileSync(f, 'utf8'), relative(repo, f)));
    assert.deepEqual(found, [], 'point these at docs/metrics.md, docs/formats.md or docs/architecture.md');
  });

  it('every relative link in the README, the changelog and docs/*.md reaches a file and heading that exist', () => {
    assert.deepEqual(markdownFiles().flatMap(brokenLinks), []);
  });

  it('every `docs/x.md "Section"` reference in the code names a section of that file', () => {
    const files = [...scannedFiles(), ...markdownFiles()];
    const missing = files.flatMap((f) =>
      missingSections(readFileSync(f, 'utf8'), relative(repo, f), join(repo, 'docs')),
    );
    assert.deepEqual(missing, []);
  });

  it('the README links each of the docs', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    for (const doc of ['docs/metrics.md', 'docs/formats.md', 'docs/architecture.md'])
      assert.ok(readme.includes(`](${doc})`), `README.md does not link ${doc}`);
  });

  describe('the checks themselves', () => {
    it('find the old design names and paths, and leave docs/ names alone', () => {
      const text = [
        'see METRICS.md',
        'as in ../shared/design/FORMATS.md',
        'the shared design notes',
        'docs/metrics.md is fine',
        'STYLE.md.',
      ].join('\n');
      assert.deepEqual(outsideReferences(text, 'x.ts'), [
        'x.ts:1: see METRICS.md',
        'x.ts:2: as in ../shared/design/FORMATS.md',
        'x.ts:3: the shared design notes',
        'x.ts:5: STYLE.md.',
      ]);
    });

    it('make GitHub anchors of headings', () => {
      assert.equal(headingAnchor('The `analyze --json` report'), 'the-analyze---json-report');
      assert.equal(headingAnchor('Layer summary'), 'layer-summary');
      assert.equal(headingAnchor('`run.json`'), 'runjson');
    });

    it('report a link to a missing file or heading, and accept good ones', () => {
      const dir = mkdtempSync(join(tmpdir(), 'cl-docs-'));
      writeFileSync(join(dir, 'b.md'), '# Title\n\n## A section\n');
      const page = join(dir, 'a.md');
      writeFileSync(
        page,
        [
          '[ok](b.md) [ok](b.md#a-section) [web](https://example.org/x.md)',
          '[gone](c.md) [bad anchor](b.md#nothing)',
          '```\n[in code](d.md)\n```',
        ].join('\n'),
      );
      assert.deepEqual(brokenLinks(page), [`${page}: c.md (no such file)`, `${page}: b.md#nothing (no such heading)`]);
      assert.deepEqual(missingSections('docs/b.md "A section" and docs/b.md, "Elsewhere"', 'y.ts', dir), [
        'y.ts: docs/b.md, "Elsewhere"',
      ]);
    });
  });
});
