// What a visitor can ask for. Adding a category: a word here (a lowercase word: the console's
// catalogue keys are made from it), its names in the console's catalogues (categoryOutreach,
// categoryOutreachMapping, categoryOutreachStats; tsc and the catalogue test name any missing one),
// and a team that takes it (Administration → Teams, or the demo's teams in server/demo.ts).
// Everything else (routes, statistics, the mapping form, the queue) reads this list.

export const CATEGORIES = ['chat', 'callback', 'parent'] as const;
export type Category = (typeof CATEGORIES)[number];

export const isCategory = (x: unknown): x is Category => typeof x === 'string' && (CATEGORIES as readonly string[]).includes(x);
