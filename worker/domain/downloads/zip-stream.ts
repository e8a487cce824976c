// One numbered part of a "download all", streamed file by file (client-zip): only the file being
// copied is in flight, never the archive, so memory stays flat at any size (see zip-entries.ts). The link is signed and
// names a recorded download and a part; it can be fetched again (a dropped connection resumes by
// starting the part over) until it expires.
import { and, asc, eq } from "drizzle-orm";
import { errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import { inChunks } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { gallerySets, photos } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import type { TenantMedia } from "../../storage/tenant-media";
import { photoFile } from "../photos/serve";
import { downloadRecord } from "./history";
import { folder, zipPart } from "./zip-entries";

const AUDIENCE = "loupe:zip";
const LINK_TTL_SECONDS = 24 * 3600;
const key = (secret: string) => new TextEncoder().encode(secret);

export async function zipPartLink(secret: string, tenantId: string, galleryId: string, downloadId: string, n: number) {
  const token = await new SignJWT({ tid: tenantId, gid: galleryId, did: downloadId, n })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("loupe")
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${LINK_TTL_SECONDS}s`)
    .sign(key(secret));
  return { url: `/zip/${token}`, expiresAt: Date.now() + LINK_TTL_SECONDS * 1000 };
}

export interface ZipStreamDeps {
  tdb: TenantDb;
  media: TenantMedia;
  images: ImagesBinding;
  secret: string;
}

const invalid = () => new AppError("not_found", "This download link is invalid; go back to the gallery and start the download again.");
const expired = () => new AppError("download_expired", "This download link has expired; go back to the gallery and start the download again.");

export const partFilename = (label: string, n: number, total: number) => `${folder(label)}${total > 1 ? ` (part ${n} of ${total})` : ""}.zip`;

export async function openZipPart(deps: ZipStreamDeps, token: string): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, key(deps.secret), { algorithms: ["HS256"], issuer: "loupe", audience: AUDIENCE }));
  } catch (err) {
    throw err instanceof errors.JWTExpired ? expired() : invalid();
  }
  if (claims.tid !== deps.tdb.tenantId || typeof claims.gid !== "string" || typeof claims.did !== "string" || typeof claims.n !== "number") throw invalid();
  const record = await downloadRecord(deps.tdb, claims.gid, claims.did);
  const ids = record?.parts[claims.n - 1];
  if (!record || !ids) throw invalid();
  const rows = await inChunks(photos.id, ids, (inChunk) => deps.tdb.select(photos, and(eq(photos.galleryId, record.galleryId), inChunk)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  // A whole gallery keeps its sets as folders; a set or a list is one folder's worth.
  const setRows =
    record.scope === "gallery" ? await deps.tdb.select(gallerySets, eq(gallerySets.galleryId, record.galleryId)).orderBy(asc(gallerySets.position)) : [];
  const sets = setRows.length > 0 ? new Map(setRows.map((s) => [s.id, folder(s.name)])) : null;
  const filename = partFilename(record.label, claims.n, record.parts.length);
  const size = record.size;
  const files = ids.flatMap((id) => {
    const photo = byId.get(id);
    if (!photo) return [];
    const dir = sets ? `${sets.get(photo.setId ?? "") ?? "More"}/` : "";
    return [
      {
        label: photo.filename,
        lastModified: new Date(photo.createdAt),
        open: () => photoFile(deps.media, deps.images, photo, size),
        path: (f: string) => `${dir}${f}`,
      },
    ];
  });
  return { filename, body: zipPart(files) };
}
