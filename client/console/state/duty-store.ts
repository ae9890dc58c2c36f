// Duty: which teams the responder is on duty for, with capacity and load, and the heartbeat that keeps
// the server counting them as present while on duty.
import { latestRead } from './latest-read.js';
import type { Clock, Guard, Slice, Timers } from './ports.js';

export interface DutyTeam {
  readonly team: string;
  readonly name: string;
  readonly onDuty: boolean;
  readonly inHours: boolean;
  readonly colleaguesOnDuty: number;
  readonly waiting: number;
}

export interface DutyStatus {
  readonly teams: readonly DutyTeam[];
  readonly capacity: number;
  readonly load: number;
  /** How often the server wants a heartbeat, ms (default 10 s). */
  readonly heartbeatMs?: number;
}

export interface DutyState {
  readonly duty: DutyStatus | null;
}

export interface DutyApi {
  duty(): Promise<DutyStatus>;
  setDuty(team: string, onDuty: boolean, capacity?: number): Promise<unknown>;
  heartbeat(): Promise<unknown>;
}

export interface DutyDeps {
  readonly state: Slice<DutyState>;
  readonly api: DutyApi;
  readonly guard: Guard;
  readonly timers: Timers;
  readonly now: Clock;
  /** The console is unlocked and logged in (no heartbeat otherwise). */
  readonly isReady: () => boolean;
  /** Duty changed: what the responder may take changed too (the queue is read again). */
  readonly changed: () => Promise<void>;
}

/** How often the heartbeat loop looks at the clock, ms. */
const HEARTBEAT_TICK_MS = 500;
const DEFAULT_HEARTBEAT_MS = 10_000;

export type DutyStore = ReturnType<typeof createDutyStore>;

export function createDutyStore(deps: DutyDeps) {
  const { state, api, guard, timers } = deps;
  let loop: number | null = null;

  const refresh = latestRead(() => api.duty(), (duty) => state.set({ duty }));
  const heartbeat = async () => {
    if (!deps.isReady() || !(state.get().duty?.teams.some((t) => t.onDuty) ?? false)) return;
    await guard(() => api.heartbeat());
  };
  const stopHeartbeat = () => {
    if (loop !== null) timers.clearInterval(loop);
    loop = null;
  };

  return {
    /** Reads the duty status; throws the API's error (the caller guards). */
    refresh,

    async setDuty(team: string, onDuty: boolean, capacity?: number) {
      await guard(async () => {
        await api.setDuty(team, onDuty, capacity);
        await refresh();
        await deps.changed();
      });
    },

    /** Beats at the interval the server asks for, while on duty for any team. */
    startHeartbeat() {
      stopHeartbeat();
      let lastBeat = 0;
      loop = timers.setInterval(() => {
        if (deps.now() - lastBeat < (state.get().duty?.heartbeatMs ?? DEFAULT_HEARTBEAT_MS)) return;
        lastBeat = deps.now();
        void heartbeat();
      }, HEARTBEAT_TICK_MS);
    },
    stopHeartbeat,

    reset() {
      state.set({ duty: null });
    },
  };
}
