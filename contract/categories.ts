// What a visitor can ask for. Adding a category: a word here, its strings in the catalogues, and a
// team that takes it (the category mapping in the console or deploy/demo-org configuration).

export const CATEGORIES = ['chat', 'callback', 'parent'] as const;
export type Category = (typeof CATEGORIES)[number];
