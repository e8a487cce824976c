// The room's budgets on their own clock: per person and per room, with the hold after a refusal
// and the cut-off. (rooms.test.ts floods a real room through sockets.)
import { describe, expect, it } from "vitest";
import { CUT_OFF, RATES, RoomBudgets } from "../../party/budgets";
import { PhotoCatalog } from "../../party/room-limits";

describe("a person's budgets", () => {
  it("allows a burst of 60 intents, then 20 a second, per person whatever their sockets, and holds a refused person for a second", () => {
    const budgets = new RoomBudgets(0);
    const spent = (who: string, n: number, at: number) => Array.from({ length: n }, () => budgets.intent(who, at)).filter((v) => v.ok).length;
    expect(RATES.intents).toEqual({ burst: 60, perSecond: 20 });
    expect(spent("zed", 100, 0)).toBe(60);
    // Another person is not slowed by this one.
    expect(spent("amy", 10, 0)).toBe(10);
    // Refused at 0, zed is held for a second: what zed sends before then cannot overtake it.
    const held = budgets.intent("zed", 500);
    expect(held).toEqual({ ok: false, retryAfterMs: 500, who: "person" });
    expect(spent("zed", 10, 999)).toBe(0);
    // After the hold, what refilled meanwhile (20 a second) and no more.
    expect(spent("zed", 30, 1000)).toBe(20);
    // Idle long enough, the burst is back, never more.
    expect(spent("zed", 100, 60_000)).toBe(60);
  });

  it("has a room-wide budget that no single person can spend", () => {
    const budgets = new RoomBudgets(0);
    let accepted = 0;
    let roomRefusals = 0;
    // 40 people at once, each within their own burst: the room's burst of 600 runs out first.
    for (let p = 0; p < 40; p++)
      for (let i = 0; i < 20; i++) {
        const v = budgets.intent(`p${p}`, 0);
        if (v.ok) accepted++;
        else if (v.who === "room") roomRefusals++;
      }
    expect(accepted).toBe(RATES.roomIntents.burst);
    expect(roomRefusals).toBe(800 - RATES.roomIntents.burst);
  });

  it("cuts off a person who keeps sending after being told to wait, and no one else", () => {
    const budgets = new RoomBudgets(0);
    let cut = -1;
    for (let i = 0; i < CUT_OFF.refusals + 10 && cut < 0; i++) if (budgets.refused("zed", i)) cut = i;
    expect(cut).toBe(CUT_OFF.refusals - 1);
    expect(budgets.barred("zed", cut + 1)).toBe(CUT_OFF.barMs - 1);
    expect(budgets.barred("amy", cut + 1)).toBe(0);
    expect(budgets.barred("zed", cut + CUT_OFF.barMs)).toBe(0);
    // Refusals spread thinner than the window never add up to a cut-off.
    const calm = new RoomBudgets(0);
    const step = CUT_OFF.windowMs / (CUT_OFF.refusals / 2);
    expect(Array.from({ length: CUT_OFF.refusals * 3 }, (_, i) => calm.refused("amy", i * step)).some(Boolean)).toBe(false);
  });

  it("lets awareness through at 5 a second after a burst of 20, and the sync request once per 5 seconds after 12", () => {
    const budgets = new RoomBudgets(0);
    expect(Array.from({ length: 30 }, () => budgets.awareness("kim", 0)).filter((w) => w === 0).length).toBe(20);
    expect(budgets.awareness("kim", 0)).toBeCloseTo(200, 5);
    expect(Array.from({ length: 20 }, () => budgets.sync("kim", 0)).filter(Boolean).length).toBe(12);
    expect(budgets.sync("kim", 4_000)).toBe(false);
    expect(budgets.sync("kim", 10_000)).toBe(true);
  });
});

describe("a network's budgets", () => {
  it("identities on one network share its intents; one refused for it is held like one refused for themselves", () => {
    const budgets = new RoomBudgets(0);
    const net = "203.0.113.7";
    let taken = 0;
    let refusedFor = "";
    // Ten identities, each within its own burst: the network's burst runs out first.
    for (let who = 0; who < 10 && !refusedFor; who++) {
      for (let i = 0; i < RATES.intents.burst; i++) {
        const v = budgets.intent(`bot-${who}`, 0, net);
        if (v.ok) taken += 1;
        else {
          refusedFor = `bot-${who}`;
          expect(v).toMatchObject({ who: "network" });
          break;
        }
      }
    }
    expect(taken).toBe(RATES.networkIntents.burst);
    // Held: a token back on the network does not let the next one overtake the refused one.
    expect(budgets.intent(refusedFor, 100, net)).toMatchObject({ ok: false, who: "person" });
    // Someone on another network, and the same person with no network known, go on.
    expect(budgets.intent("ana", 0, "198.51.100.2").ok).toBe(true);
    expect(budgets.intent("studio", 0, null).ok).toBe(true);
  });

  it("a document sync refused for the network spends none of the person's", () => {
    const budgets = new RoomBudgets(0);
    const net = "2001:db8:1:2::/64";
    for (let i = 0; i < RATES.networkSync.burst; i++) expect(budgets.sync(`tab-${i}`, 0, net)).toBe(true);
    expect(budgets.sync("late", 0, net)).toBe(false);
    // "late" still has their whole burst for a network with room.
    expect(Array.from({ length: RATES.sync.burst }, () => budgets.sync("late", 0, "198.51.100.9")).every(Boolean)).toBe(true);
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
