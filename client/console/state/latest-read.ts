// Reads of one list overlap: a team frame, the fallback poll, the socket coming back and the
// responder's own change each read it again, and their answers may arrive out of order (several
// connections, a slow server). What a read that started earlier returns must not replace what a
// read that started later has already shown: the stale answer would stay on screen until the next
// push, which may never come while the console is idle.

/** `read` whose answer is applied only if no read that started after it has been applied already. */
export function latestRead<T>(read: () => Promise<T>, apply: (value: T) => void | Promise<void>): () => Promise<void> {
  let started = 0;
  let applied = 0;
  return async () => {
    const ticket = ++started;
    const value = await read();
    if (ticket < applied) return;
    applied = ticket;
    await apply(value);
  };
}
