// What one client is, for rate limits and login budgets: an IPv4 address, or an IPv6 /64 (one
// home or phone gets a whole /64 and can pick any address in it for every request).
import { isIPv4, isIPv6 } from 'node:net';

/** The /64 of an IPv6 address ("2001:db8:1:2::/64"), an IPv4 address as it is (also when IPv4-mapped); anything else unchanged. */
export function clientNetwork(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null && isIPv4(mapped[1]!)) return mapped[1]!;
  const bare = address.replace(/%.*$/, ''); // zone index (fe80::1%eth0)
  if (!isIPv6(bare)) return address;
  const [head = '', tail] = bare.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail ("::1.2.3.4") is two groups; only the first four groups matter here.
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
