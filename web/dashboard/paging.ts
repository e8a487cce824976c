// Lists in the dashboard come a page at a time (worker/contract/paging.ts). A paged list shows
// the first page, then fetches the next one when its end scrolls into view (or its button is
// pressed); a failed page says so in place and can be tried again, nothing already shown is lost.
import { PAGE_LIMIT, type Page } from "../../worker/contract/paging";
import { h } from "../lib/dom";
import type { ApiResult } from "../lib/result";
import { api, errorOf } from "./api";

const withCursor = (path: string, cursor: string | null, limit?: number) => {
  const url = new URL(path, location.origin);
  if (cursor) url.searchParams.set("cursor", cursor);
  if (limit) url.searchParams.set("limit", String(limit));
  return `${url.pathname}${url.search}`;
};

/** Every page of a list, for views that need the whole of it (a page of 200 at a time). */
export async function allPages<K extends string, T>(path: string, key: K): Promise<ApiResult<T[]>> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const res: ApiResult<Page<K, T>> = await api<Page<K, T>>("GET", withCursor(path, cursor, 200));
    if (!res.ok) return res;
    items.push(...res.data[key]);
    cursor = res.data.next;
  } while (cursor);
  return { ok: true, status: 200, data: items };
}

export interface PagedList<T> {
  /** The list element, filled with the first page once `start` resolves. */
  element: HTMLElement;
  /** Loads the first page; resolves to its answer so the caller can tell an error from an empty list. */
  start(): Promise<ApiResult<unknown>>;
  /**
   * Reads again what is shown (up to the largest page) in place, for a list that changes while it
   * is open; a failed reading keeps what is shown.
   */
  reload(): Promise<void>;
  items: T[];
}

/** A list that loads its next page as its end comes into view. */
export function pagedList<K extends string, T>(opts: {
  path: string;
  key: K;
  className: string;
  render: (item: T) => HTMLElement;
  empty: string;
  onPage?: (page: Page<K, T>) => void;
  /** A frame to show (a table) and the element in it that takes the items (its tbody); a <ul> when not given. */
  frame?: { element: HTMLElement; items: HTMLElement };
}): PagedList<T> {
  const frame = opts.frame?.element ?? h("ul", { class: opts.className });
  const list = opts.frame?.items ?? frame;
  const more = h("button", { type: "button", class: "load-more", hidden: true }, "Load more");
  const status = h("p", { class: "muted", role: "status" });
  const element = h("div", { class: "paged" }, frame, status, more);
  const items: T[] = [];
  let next: string | null = null;
  let loading = false;

  const show = (page: Page<K, T>, replace: boolean) => {
    status.classList.remove("error");
    if (replace) items.length = 0;
    items.push(...page[opts.key]);
    if (replace) list.replaceChildren(...items.map(opts.render));
    else list.append(...page[opts.key].map(opts.render));
    next = page.next;
    more.hidden = next === null;
    more.textContent = "Load more";
    status.textContent = items.length === 0 ? opts.empty : "";
    frame.hidden = items.length === 0;
    opts.onPage?.(page);
    // Observing afresh reports whether the end is still in view: a short page loads the next.
    observer.unobserve(more);
    if (next) observer.observe(more);
  };

  const load = async (cursor: string | null): Promise<ApiResult<unknown>> => {
    loading = true;
    status.textContent = cursor ? "Loading more…" : "";
    const res = await api<Page<K, T>>("GET", withCursor(opts.path, cursor));
    loading = false;
    if (!res.ok) {
      status.textContent = errorOf(res);
      status.classList.add("error");
      more.hidden = false;
      more.textContent = "Try again";
      return res;
    }
    show(res.data, false);
    return res;
  };

  const reload = async () => {
    if (loading) return;
    loading = true;
    const res = await api<Page<K, T>>("GET", withCursor(opts.path, null, Math.min(Math.max(items.length, PAGE_LIMIT.default), PAGE_LIMIT.max)));
    loading = false;
    if (res.ok) show(res.data, true);
  };

  more.addEventListener("click", () => void load(next));
  // The button stays as the way in for keyboards; scrolling near the end presses it.
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting) && next && !loading) void load(next);
    },
    { rootMargin: "600px" },
  );
  return { element, start: () => load(null), reload, items };
}
