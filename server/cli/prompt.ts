// Questions on the terminal for `npm run org`: one readline over stdin whose lines are queued, so
// piped answers (tests, scripts) are read one per question; a hidden question does not echo on a
// terminal.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export interface Prompt {
  /** Asks and resolves with the next line (without the newline); rejects when input has ended. */
  ask(question: string, options?: { hidden?: boolean }): Promise<string>;
  close(): void;
}

export function createPrompt(input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin, output: NodeJS.WritableStream = process.stdout): Prompt {
  let muted = false;
  // readline echoes what is typed through this stream: muted while a hidden answer is typed.
  const echo = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const lines: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let ended = false;
  // Opened at the first question, so a command that asks nothing never holds stdin open.
  let rl: ReturnType<typeof createInterface> | null = null;
  const open = () => {
    if (rl !== null) return;
    rl = createInterface({ input, output: echo, terminal: input.isTTY === true });
    rl.on('line', (line) => {
      const next = waiting.shift();
      if (next === undefined) lines.push(line);
      else next.resolve(line);
    });
    rl.on('close', () => {
      ended = true;
      for (const w of waiting.splice(0)) w.reject(new Error('No answer: the input has ended.'));
    });
  };
  return {
    async ask(question, options = {}) {
      open();
      output.write(question);
      const queued = lines.shift();
      if (queued !== undefined) return queued;
      if (ended) throw new Error('No answer: the input has ended.');
      muted = options.hidden === true;
      try {
        return await new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
      } finally {
        if (muted) output.write('\n');
        muted = false;
      }
    },
    close() {
      rl?.close();
    },
  };
}
