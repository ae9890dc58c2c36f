// Keeps the documentation true and at home: the README is a front door (two commands first, at most
// 150 lines), every configuration variable is in docs/configuration.md, and no document links
// outside the repository or to a file that does not exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../server/config.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** The project's own documents: README, docs/, and the Markdown beside the code. */
function documents(): string[] {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  const beside = ['BENCHMARKS.md', 'crypto/PROTOCOL.md', 'deploy/RUNBOOK.md'].filter((f) => existsSync(join(root, f)));
  return ['README.md', ...docs, ...beside];
}

/** Markdown link and image targets of one document (code blocks left out). */
function linksOf(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  const md = [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  const html = [...prose.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  return [...md, ...html];
}

describe('documentation', () => {
  it('the README is a front door: the two commands first, at most 150 lines', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
    const firstSection = readme.indexOf('\n## ');
    expect(readme.slice(firstSection, firstSection + 20)).toContain('## Two commands');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
    expect(read('.ci/run')).toContain('npm test');
  });

  it('documents every configuration variable in docs/configuration.md', () => {
    const table = read('docs/configuration.md');
    for (const name of Object.keys(ConfigSchema.shape)) expect(table).toContain(`| \`${name}\` |`);
  });

  it('links only inside the repository, and every link resolves', () => {
    const broken: string[] = [];
    for (const doc of documents()) {
      for (const target of linksOf(read(doc))) {
        if (target.startsWith('#')) continue;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          broken.push(`${doc}: ${target} (outside the repository)`);
          continue;
        }
        const path = resolve(join(root, dirname(doc)), target.replace(/#.*$/, ''));
        if (relative(root, path).startsWith('..')) broken.push(`${doc}: ${target} (outside the repository)`);
        else if (!existsSync(path)) broken.push(`${doc}: ${target} (no such file)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
