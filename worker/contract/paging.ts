// Every list a route answers is one page of it: the items under the list's own name, and
// `next`, the opaque cursor of the following page (null on the last). Ask for the next page
// with `?cursor=<next>`; `limit` is 1–200 (50 when not given).

export type Page<K extends string, T> = { [P in K]: T[] } & { next: string | null };

export const PAGE_LIMIT = { default: 50, max: 200 } as const;
