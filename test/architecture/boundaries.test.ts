// The parts' boundaries, read from the code's own imports: server and client never import each
// other, the widget and the console share only through client/shared, contract/ or crypto/; the wire
// contract (contract/) and crypto/ import no part of the app, and no module imports itself round a
// circle. Shared code goes to one shared place (contract/, crypto/, client/shared/); this test fails
// the moment an import crosses a line or closes a cycle.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PARTS = ['contract', 'server', 'client', 'crypto'] as const;

/** Every source file of the app (tests and test-only case files excluded). */
function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !/\.(test|case)\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const part of PARTS) walk(join(root, part));
  return out;
}

/** The repository files one file imports (relative specifiers only; packages are not our parts). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const bare = resolve(dirname(file), fileName.replace(/\?.*$/, ''));
    const candidates = [bare, bare.replace(/\.js$/, '.ts'), bare.replace(/\.js$/, '.tsx'), `${bare}.ts`, `${bare}.tsx`, join(bare, 'index.ts')];
    const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
    if (hit !== undefined) targets.push(hit);
  }
  return targets;
}

const rel = (p: string): string => relative(root, p).split('\\').join('/');

/** Which part a file belongs to, for the crossing rules. */
function partOf(path: string): string {
  const r = rel(path);
  if (r.startsWith('client/widget/')) return 'widget';
  if (r.startsWith('client/console/')) return 'console';
  if (r.startsWith('client/')) return 'client-shared';
  return r.split('/')[0] ?? r;
}

/** Parts a part may not import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  server: ['widget', 'console', 'client-shared'],
  widget: ['server', 'console'],
  console: ['server', 'widget'],
  'client-shared': ['server', 'widget', 'console'],
  crypto: ['server', 'widget', 'console', 'client-shared', 'contract'],
  contract: ['server', 'widget', 'console', 'client-shared', 'crypto'],
};

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sourceFiles()) g.set(rel(file), importsOf(file).map(rel));
  return g;
}

/** Strongly connected components with more than one file (or a self-import): Tarjan's algorithm. */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return found;
}

describe('module boundaries', () => {
  const g = graph();

  it('reads the real import graph (guards the test itself)', () => {
    expect(g.size).toBeGreaterThan(100);
    expect(g.get('server/main.ts')).toContain('server/config.ts');
    expect(g.get('server/errors.ts')).toContain('contract/errors.ts');
    expect(cycles(new Map([['a', ['b']], ['b', ['a']], ['c', ['a']]]))).toEqual([['a', 'b']]);
  });

  it('no import crosses between server and client, or between widget and console; contract/ and crypto/ import no app part', () => {
    const crossings: string[] = [];
    for (const [from, targets] of g) {
      const forbidden = FORBIDDEN[partOf(from)] ?? [];
      for (const to of targets) if (forbidden.includes(partOf(to))) crossings.push(`${from} -> ${to}`);
    }
    expect(crossings).toEqual([]);
  });

  it("browsers take the contract's zod schemas as types only (zod stays out of the widget's and console's bundles)", () => {
    const valueImports: string[] = [];
    for (const file of sourceFiles().filter((f) => rel(f).startsWith('client/'))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
      for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
        const specifier = statement.moduleSpecifier;
        if (specifier === undefined || !ts.isStringLiteral(specifier) || !/contract\/(rest|frame-schema)\.js$/.test(specifier.text)) continue;
        const typeOnly = ts.isImportDeclaration(statement) ? statement.importClause?.isTypeOnly === true : statement.isTypeOnly;
        if (!typeOnly) valueImports.push(`${rel(file)} -> ${specifier.text}`);
      }
    }
    expect(valueImports).toEqual([]);
  });

  it("the store's key and channel names stay inside its adapters: nothing outside server/store/redis/ (and the memory adapter, which lays MemoryDb out as Redis) imports them", () => {
    const KEYS = 'server/store/redis/keys.ts';
    const adapters = ['server/store/redis/', 'server/store/memory/'];
    expect(g.get('server/store/redis/redis-store.ts')).toContain(KEYS);
    const outside = [...g].filter(([from, targets]) => targets.includes(KEYS) && !adapters.some((a) => from.startsWith(a))).map(([from]) => from);
    expect(outside).toEqual([]);
  });

  it("the console calls the API through the typed client only (contract/rest.ts shapes), not the session's untyped `call`", () => {
    const untyped = sourceFiles()
      .filter((f) => rel(f).startsWith('client/console/'))
      .filter((f) => /\.call\s*(<|\()/.test(readFileSync(f, 'utf8')))
      .map(rel);
    expect(untyped).toEqual([]);
  });

  it('no import cycle', () => {
    expect(cycles(g)).toEqual([]);
  });
});
