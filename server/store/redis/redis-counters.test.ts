// What the Redis counters send and parse, without Redis (the contract suite runs them on one).
import { describe, expect, it } from 'vitest';
import { parseMemoryInfo, spendArguments } from './redis-counters.js';

describe('redis counters', () => {
  it('builds the spend arguments', () => {
    expect(spendArguments(12, 100, 3_600_000.4, false)).toEqual(['12', '100', '3600001', '0']);
    expect(spendArguments(1, 5, 0, true)).toEqual(['1', '5', '1', '1']);
  });

  it('reads used_memory and maxmemory from INFO memory', () => {
    const info = '# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\nmaxmemory:16777216\r\nmaxmemory_human:16.00M\r\n';
    expect(parseMemoryInfo(info)).toEqual({ usedBytes: 1_048_576, maxBytes: 16_777_216 });
    expect(parseMemoryInfo(info.replace('maxmemory:16777216', 'maxmemory:0'))).toEqual({ usedBytes: 1_048_576, maxBytes: null });
  });
});
