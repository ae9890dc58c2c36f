// Order of stream ids ("<ms>-<seq>", decimal, no leading zeros) on the delivery path, without the
// two arrays and four numbers of store/codec's compareMessageIds: it runs for every message and socket.

/** Whether id `a` comes after id `b`. */
export function isAfter(a: string, b: string): boolean {
  const da = a.indexOf('-');
  const db = b.indexOf('-');
  // More milliseconds digits is a later time.
  if (da !== db) return da > db;
  for (let i = 0; i < da; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x > y;
  }
  // Same millisecond: the longer sequence number is the larger, else the digits decide.
  if (a.length !== b.length) return a.length > b.length;
  return a > b;
}
