// Keeps the README true: every configuration variable is in its table.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../server/config.js';

describe('README', () => {
  it('documents every configuration variable', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(ConfigSchema.shape)) expect(readme).toContain(`| \`${name}\` |`);
  });
});
