// The quick exit from the keyboard, after GOV.UK's "Exit this page": Shift pressed three times in a
// row (within a few seconds) leaves at once, from any screen. Escape leaves only while no conversation
// has started: pressed by habit to close something, it must not end a live chat by accident.

/** Shift presses in a row that leave, and the time they must fall within, ms. */
export const SHIFT_PRESSES = 3;
export const SHIFT_WINDOW_MS = 5000;

export interface ExitKeysDeps {
  readonly exit: () => void;
  /** True while Escape may leave (no conversation started). */
  readonly escapeAllowed: () => boolean;
  readonly now: () => number;
}

/** A keydown handler; any other key between Shift presses starts the count again. */
export function createExitKeys(deps: ExitKeysDeps): (event: Pick<KeyboardEvent, 'key' | 'repeat' | 'preventDefault'>) => void {
  let presses: number[] = [];
  return (event) => {
    if (event.key === 'Escape') {
      presses = [];
      if (deps.escapeAllowed()) {
        event.preventDefault();
        deps.exit();
      }
      return;
    }
    if (event.key !== 'Shift') {
      presses = [];
      return;
    }
    if (event.repeat) return; // a held key is one press
    const at = deps.now();
    presses = [...presses.filter((t) => at - t <= SHIFT_WINDOW_MS), at];
    if (presses.length >= SHIFT_PRESSES) {
      presses = [];
      deps.exit();
    }
  };
}
