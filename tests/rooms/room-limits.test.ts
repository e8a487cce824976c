// The room's per-socket intent budget on its own clock: a burst of 60, then 20 a second, each
// socket its own. (rooms.test.ts floods a real room through a socket.)
import { describe, expect, it } from "vitest";
import { INTENT_BURST, INTENTS_PER_SECOND, IntentBudget, PhotoCatalog } from "../../party/room-limits";

describe("the intent budget", () => {
  it("allows a burst of 60, then 20 a second, per socket", () => {
    const budget = new IntentBudget<object>();
    const zed = {};
    const amy = {};
    const spent = (key: object, n: number, at: number) => Array.from({ length: n }, () => budget.spend(key, at)).filter((wait) => wait === 0).length;
    expect(INTENT_BURST).toBe(60);
    expect(INTENTS_PER_SECOND).toBe(20);
    expect(spent(zed, 100, 0)).toBe(60);
    // Another socket is not slowed by this one.
    expect(spent(amy, 10, 0)).toBe(10);
    expect(spent(zed, 10, 100)).toBe(2);
    expect(spent(zed, 30, 1100)).toBe(20);
    // A refusal says when the next one will be there: one token at 20 a second is 50 ms away.
    expect(budget.spend(zed, 1100)).toBeCloseTo(50, 5);
    // Idle long enough, the burst is back, never more.
    expect(spent(zed, 100, 60_000)).toBe(60);
  });
});

describe("the photo catalog", () => {
  it("asks about an unknown id once, and remembers both answers", async () => {
    const catalog = new PhotoCatalog();
    catalog.add("p1");
    const asked: string[] = [];
    const lookUp = async (id: string) => {
      asked.push(id);
      return id === "p2";
    };
    for (const id of ["p1", "p2", "nope", "p2", "nope"]) await catalog.check(id, lookUp);
    expect(asked).toEqual(["p2", "nope"]);
    expect([catalog.has("p1"), catalog.has("p2"), catalog.has("nope")]).toEqual([true, true, false]);
  });
});
