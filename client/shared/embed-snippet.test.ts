import { describe, expect, it } from 'vitest';
import { embedSnippet } from './embed-snippet.js';

const key = 'A'.repeat(43);
const sri = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC';

describe('embedSnippet', () => {
  it('produces the exact pinned script tag', () => {
    expect(embedSnippet({ origin: 'https://utvag.example.se', rootPublicKey: key, loaderIntegrity: sri, source: 'web-malmo', label: 'Prata "nu" <här>' })).toBe(
      `<script src="https://utvag.example.se/loader.js" integrity="${sri}" crossorigin="anonymous" data-root-key="${key}" data-source="web-malmo" data-label="Prata &quot;nu&quot; &lt;här&gt;" async></script>`,
    );
  });
  it('refuses bad inputs', () => {
    expect(() => embedSnippet({ origin: 'https://x.se/path', rootPublicKey: key, loaderIntegrity: sri })).toThrow();
    expect(() => embedSnippet({ origin: 'javascript:alert(1)', rootPublicKey: key, loaderIntegrity: sri })).toThrow();
    expect(() => embedSnippet({ origin: 'https://x.se', rootPublicKey: 'short', loaderIntegrity: sri })).toThrow();
    expect(() => embedSnippet({ origin: 'https://x.se', rootPublicKey: key, loaderIntegrity: 'md5-abc' })).toThrow();
    expect(() => embedSnippet({ origin: 'https://x.se', rootPublicKey: key, loaderIntegrity: sri, source: 'Bad Tag' })).toThrow();
    expect(() => embedSnippet({ origin: 'https://x.se', rootPublicKey: key, loaderIntegrity: sri, exitUrl: 'http://x' })).toThrow();
  });
});
