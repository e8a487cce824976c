// Similar shots. Frames taken within seconds of each other that look alike (close perceptual
// hashes) form a stack, named by its earliest frame; a frame well below the sharpest of its
// stack, or below an absolute floor, is flagged soft. Stacks only group and flag: every photo
// stays in the gallery. They are recomputed around each photo as the pipeline finishes it, so
// the order photos arrive in does not matter.
import { and, asc, desc, eq, gt, gte, isNotNull, isNull, lte, type SQL } from "drizzle-orm";
import type { PhotoExif } from "../../contract/photos";
import { statementsInChunks } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { photos } from "../../db/tenant-schema";
import { hamming } from "../../images/similarity";

export interface Frame {
  id: string;
  takenAt: number;
  phash: string;
  sharpness: number | null;
}
export interface Placement {
  stackId: string | null;
  soft: boolean;
}

// EXIF capture times have whole seconds, so frames a second apart may be 1.99 s apart; a
// photographer pressing again on the same moment does so within a couple of seconds.
export const LINK_GAP_MS = 3000;
// Hamming distance of 64-bit pHashes (worker/images/similarity.ts). On bench:stacks' tuning
// shoots, pairs of one burst (drift, subject movement, fresh noise, ±1 EV) were within 10 bits
// but for textureless studio scenes (up to 16: single linkage still chains them), while the
// same place re-framed seconds later (a pan of a third, a 1.8× zoom) was 14 or more apart and
// other scenes 18 or more; published pHash near-duplicate thresholds sit at 10–12 of 64.
export const HASH_NEAR = 12;
// Soft beside its stack: sharpness under this share of the stack's sharpest. On the tuning
// shoots blurred frames scored at most 0.70 of their sharpest sibling, sharp ones (exposure
// steps, noise, movement) at least 0.85.
export const SOFT_RATIO = 0.78;
// Soft whatever its stack: the lowest sharp frame of the tuning shoots scored 0.125 (a single of
// smooth textures), blurred frames alone 0.099 or less (shake of 9 px on the master; Gaussian
// σ 2 px 0.043 or less, since the preview's sharpest edges cap the score). Set about midway, no
// nearer the sharp frames: a false flag on a good frame alone costs more than a missed one, and
// synthetic scenes vary less than real ones.
export const SOFT_FLOOR = 0.11;
// The frames restack reads around a photo: a minute either side, at most this many each side.
export const WINDOW_MS = 60_000;
export const WINDOW_ROWS = 150;

/**
 * EXIF's capture time in ms. Cameras write local time and most no offset: such a time is read as
 * UTC, as the migration that filled taken_at did, and only differences between frames matter.
 */
export function captureTime(exif: Pick<PhotoExif, "takenAt"> | null): number | null {
  const at = exif?.takenAt;
  if (!at || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?$/.test(at)) return null;
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(at) ? at : `${at}Z`);
  return Number.isFinite(ms) ? ms : null;
}

const byTime = (a: Frame, b: Frame) => a.takenAt - b.takenAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const softAlone = (sharpness: number | null) => sharpness !== null && sharpness < SOFT_FLOOR;

/**
 * Stacks by single linkage: two frames at most LINK_GAP_MS apart with hashes at most HASH_NEAR
 * bits apart are linked, so a long burst chains however long it runs. Every frame within the
 * gap is compared, not only the next one: frames of the same second (and a second shooter's,
 * interleaved) come in no reliable order.
 */
export function stackFrames(frames: readonly Frame[]): Map<string, Placement> {
  const sorted = [...frames].sort(byTime);
  const parent = sorted.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.takenAt - sorted[i]!.takenAt <= LINK_GAP_MS; j++) {
      if (hamming(sorted[i]!.phash, sorted[j]!.phash) > HASH_NEAR) continue;
      const [a, b] = [root(i), root(j)];
      // The earlier frame stays the root: a stack is named by its earliest frame.
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const members = new Map<number, Frame[]>();
  for (let i = 0; i < sorted.length; i++) {
    const r = root(i);
    const group = members.get(r) ?? [];
    group.push(sorted[i]!);
    members.set(r, group);
  }
  const out = new Map<string, Placement>();
  for (const [r, group] of members) {
    if (group.length === 1) {
      out.set(group[0]!.id, { stackId: null, soft: softAlone(group[0]!.sharpness) });
      continue;
    }
    const sharpest = Math.max(...group.map((f) => f.sharpness ?? 0));
    for (const f of group) {
      const soft = f.sharpness !== null && (f.sharpness < SOFT_RATIO * sharpest || f.sharpness < SOFT_FLOOR);
      out.set(f.id, { stackId: sorted[r]!.id, soft });
    }
  }
  return out;
}

type Row = Frame & Placement;
const columns = {
  id: photos.id,
  takenAt: photos.takenAt,
  phash: photos.phash,
  sharpness: photos.sharpness,
  stackId: photos.stackId,
  soft: photos.soft,
};

/**
 * Restacks the frames around a photo the pipeline has just finished (or whose capture time just
 * arrived) and writes stack_id/soft where they change. Two photos of one burst finishing at
 * once each read the other's hash (each writes its own before reading), and every write is
 * conditional on the values read: a restack that lost a race finds fewer rows changed than it
 * meant to and runs again on what is there now. Answers the photo's own placement.
 */
export async function restack(tdb: TenantDb, galleryId: string, photoId: string): Promise<Placement | null> {
  let placed: Placement | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const pass = await restackOnce(tdb, galleryId, photoId);
    placed = pass.placed;
    if (pass.settled) break;
  }
  return placed;
}

async function restackOnce(tdb: TenantDb, galleryId: string, photoId: string): Promise<{ placed: Placement | null; settled: boolean }> {
  const inGallery = eq(photos.galleryId, galleryId);
  const [self] = await tdb.selectFields(columns, photos, { where: and(inGallery, eq(photos.id, photoId)) });
  if (!self) return { placed: null, settled: true };
  if (self.takenAt === null || self.phash === null) {
    // No capture time (or no hash yet): never stacked.
    const want = { stackId: null, soft: softAlone(self.sharpness) };
    return { placed: want, settled: await write(tdb, galleryId, [[self as Row, want]]) };
  }
  const t = self.takenAt;
  // Both halves walk photos_taken_idx from the photo outwards, so a dense minute is cut at the far end.
  const hashed = and(inGallery, isNotNull(photos.phash));
  const [before, after] = await Promise.all([
    tdb.selectFields(columns, photos, {
      where: and(hashed, gte(photos.takenAt, t - WINDOW_MS), lte(photos.takenAt, t)),
      orderBy: [desc(photos.takenAt)],
      limit: WINDOW_ROWS,
    }),
    tdb.selectFields(columns, photos, {
      where: and(hashed, gt(photos.takenAt, t), lte(photos.takenAt, t + WINDOW_MS)),
      orderBy: [asc(photos.takenAt)],
      limit: WINDOW_ROWS,
    }),
  ]);
  const rows = new Map<string, Row>([[self.id, self as Row]]);
  for (const r of [...before, ...after]) rows.set(r.id, r as Row);
  // A stack is only known whole if none of its frames is within reach of what was not read.
  const lo = before.length === WINDOW_ROWS ? before.at(-1)!.takenAt! : t - WINDOW_MS;
  const hi = after.length === WINDOW_ROWS ? after.at(-1)!.takenAt! : t + WINDOW_MS;
  const inside = (r: Row) => r.takenAt > lo + LINK_GAP_MS && r.takenAt < hi - LINK_GAP_MS;
  const placements = stackFrames([...rows.values()]);
  const groups = new Map<string, Row[]>();
  for (const r of rows.values()) {
    const key = placements.get(r.id)!.stackId ?? r.id;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const changes: [Row, Placement][] = [];
  for (const group of groups.values()) {
    if (!group.some((r) => r.id === photoId) && !group.every(inside)) continue;
    for (const r of group) changes.push([r, placements.get(r.id)!]);
  }
  return { placed: placements.get(photoId)!, settled: await write(tdb, galleryId, changes) };
}

/** Writes the placements that differ from what was read, each only if the row still holds what was read; true if all took. */
async function write(tdb: TenantDb, galleryId: string, changes: [Row, Placement][]): Promise<boolean> {
  const moves = new Map<string, { from: Placement; to: Placement; ids: string[] }>();
  for (const [row, to] of changes) {
    if (row.stackId === to.stackId && row.soft === to.soft) continue;
    const key = JSON.stringify([row.stackId, row.soft, to.stackId, to.soft]);
    const move = moves.get(key) ?? { from: { stackId: row.stackId, soft: row.soft }, to, ids: [] };
    move.ids.push(row.id);
    moves.set(key, move);
  }
  if (moves.size === 0) return true;
  const statements = [...moves.values()].flatMap(({ from, to, ids }) => {
    const was: SQL = and(
      eq(photos.galleryId, galleryId),
      from.stackId === null ? isNull(photos.stackId) : eq(photos.stackId, from.stackId),
      eq(photos.soft, from.soft),
    )!;
    // updated_at stays: it versions the derivative URLs, which a new stack does not change.
    return statementsInChunks(photos.id, ids, (inChunk) => tdb.update(photos, to, and(was, inChunk)).returning({ id: photos.id }));
  });
  const results = await tdb.batch(statements as [(typeof statements)[number], ...typeof statements]);
  const wanted = [...moves.values()].reduce((n, m) => n + m.ids.length, 0);
  return results.reduce((n, r) => n + r.length, 0) === wanted;
}
