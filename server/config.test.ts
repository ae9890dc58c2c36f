// Configuration: defaults for a first start, a clear message for every bad value.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded store and the demo organisation', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, redisUrl: null, demo: true, powDifficulty: 16, conversationTtlMs: 72 * 3_600_000, maxMessageBytes: 16384, maxBodyBytes: 65536 });
    expect(config.publicUrl).toBe('http://localhost:8080');
  });

  it('turns the demo off with Redis unless asked for', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).demo).toBe(false);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', DEMO: 'true' }).demo).toBe(true);
  });

  it('names every bad variable with its value and the reason', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', POW_DIFFICULTY: '99', REDIS_URL: 'not a url', TRUST_PROXY: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT="eighty"', 'POW_DIFFICULTY="99"', 'REDIS_URL="not a url"', 'TRUST_PROXY="maybe"']) expect(problems).toContain(name);
  });

  it('never prints a password of a bad Redis URL', () => {
    let message = '';
    try {
      loadConfig({ REDIS_URL: 'redis://app:s3cret-pass@:bad port' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('REDIS_URL');
    expect(message).not.toContain('s3cret-pass');
  });

  it('splits frame ancestors and strips a trailing slash of the public URL', () => {
    const config = loadConfig({ FRAME_ANCESTORS: 'https://malmo.se  https://huddinge.se', PUBLIC_URL: 'https://utvag.example.se/' });
    expect(config.frameAncestors).toEqual(['https://malmo.se', 'https://huddinge.se']);
    expect(config.publicUrl).toBe('https://utvag.example.se');
  });
});
