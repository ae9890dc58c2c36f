// A catalogue area: the strings of one part of the console (statistics, sources, …) in all three
// languages, kept beside each other so a screen's strings are added in one file.
export interface Area<T extends Record<string, string>> {
  readonly sv: T;
  readonly en: { readonly [K in keyof T]: string };
  readonly ar: { readonly [K in keyof T]: string };
}

export function defineArea<T extends Record<string, string>>(area: Area<T>): Area<T> {
  return area;
}
