// The admin sub-store: only admins and supervisors see the admin screens; the screens get the
// session's own API client (the one holding the CSRF token), not a second one.
import { describe, expect, it } from 'vitest';
import { createResponderApi } from '../../shared/api-client.js';
import { createAdminStore } from './admin-store.js';

const me = (roles: string[]) => ({ id: 'x', displayName: 'X', teams: ['unga'], roles });

describe('admin store', () => {
  const api = createResponderApi({ baseUrl: 'http://127.0.0.1:1', fetch: async () => new Response(null, { status: 204 }) });
  const admin = createAdminStore({ api });

  it('shows the admin screens to admins and supervisors only', () => {
    expect(admin.mayAdminister(me(['admin']))).toBe(true);
    expect(admin.mayAdminister(me(['responder', 'supervisor']))).toBe(true);
    expect(admin.mayAdminister(me(['responder']))).toBe(false);
    expect(admin.mayAdminister(me([]))).toBe(false);
    expect(admin.mayAdminister(null)).toBe(false);
  });

  it('hands the screens the session’s API client', () => {
    expect(admin.api).toBe(api);
  });
});
