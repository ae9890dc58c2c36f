// Staff roles: a responder answers; a supervisor also reads the team's statistics, audit log and
// callbacks and changes its settings; an admin administers the organisation.
export const ROLES = ['responder', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
