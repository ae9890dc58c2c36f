// Runs every benchmark section and writes BENCHMARKS.md with the machine, the date and the command.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';

interface Section {
  readonly name: string;
  run(): Promise<string>;
}

const sections: Section[] = [
  { name: 'crypto', run: async () => (await import('./crypto.js')).runCryptoBench() },
  { name: 'relay', run: async () => (await import('./relay.js')).runRelayBench() },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const parts: string[] = [];
  for (const section of sections) {
    if (only.length > 0 && !only.includes(section.name)) continue;
    process.stdout.write(`bench: ${section.name}…\n`);
    parts.push(await section.run());
  }
  const cpu = cpus();
  const header = [
    '# Benchmarks',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench${only.length > 0 ? ` -- ${only.join(' ')}` : ''}\`.`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}, Node ${process.version}.`,
    '',
  ].join('\n');
  writeFileSync('BENCHMARKS.md', `${header}\n${parts.join('\n\n')}\n`);
  process.stdout.write('bench: wrote BENCHMARKS.md\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
