// Administration: who may open the admin screens, and the session's API client those screens (and
// enrolment) call. Each admin screen keeps its own state; nothing secret is held here.
import type { ResponderApi } from './console-api.js';
import type { Me } from './session-store.js';

/** Roles that see the admin tab (the server checks each admin route again). */
export const ADMIN_ROLES: readonly string[] = ['admin', 'supervisor'];

export function createAdminStore(deps: { readonly api: ResponderApi }) {
  return {
    /** The session's API client (its CSRF token included) for the admin routes. */
    api: deps.api,
    /** True when `me` holds a role that sees the admin tab. */
    mayAdminister: (me: Me | null): boolean => me?.roles.some((r) => ADMIN_ROLES.includes(r)) ?? false,
  };
}
