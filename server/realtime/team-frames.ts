// What a responder's socket is told of a team event: which of the team's lists to read again. The
// frame names the list only (no conversation id, category or count), so it tells a member of the
// team less than the duty and queue routes already show; the console then reads the list through
// the route that decides what this responder may see (on duty, room, callbacks).
import type { ServerFrame, TeamList } from '../../contract/frames.js';
import type { TeamEvent } from '../events/events.js';
import type { TeamId } from '../store/ports.js';

export type TeamFrame = Extract<ServerFrame, { t: 'team' }>;

/** The list an event changed. */
export function teamListOf(event: TeamEvent): TeamList {
  switch (event.t) {
    case 'duty':
      return 'duty';
    case 'resync':
      return 'resync';
    default:
      return event.category === 'callback' ? 'callbacks' : 'queue';
  }
}

/** The encoded frame of a team event (built once per event and instance, sent to every listening socket). */
export function teamFrame(team: TeamId, event: TeamEvent): string {
  const frame: TeamFrame = { t: 'team', team, ev: teamListOf(event) };
  return JSON.stringify(frame);
}
