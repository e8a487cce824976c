// The demo studio's sample gallery: landscape-like photos generated here (no downloads, nothing
// committed), uploaded the way the dashboard uploader does it: a 2048 px master first, then the
// original in parts. The real queue and WASM pipeline turn them into thumbnails and previews.
import sharp from "sharp";

const SCENES = [
  ["Getting ready", 28, "#f6d8b8", "#c9826b"],
  ["Getting ready", 35, "#fbe3c8", "#a45f4d"],
  ["Getting ready", 20, "#f1cfa6", "#8d5a48"],
  ["Ceremony", 205, "#bcd7f0", "#4f7fa8"],
  ["Ceremony", 195, "#d3e6f5", "#3e6a92"],
  ["Ceremony", 215, "#c5dcf2", "#5a7aa0"],
  ["Ceremony", 180, "#cfe8ec", "#3f7d86"],
  ["Reception", 280, "#2d2340", "#d9a441"],
  ["Reception", 300, "#2a2038", "#e0b050"],
  ["Reception", 265, "#332a48", "#c98f3a"],
  ["Reception", 250, "#1f2a44", "#e6c36a"],
  ["Reception", 320, "#3a2235", "#f0c060"],
];

function scene(i, width, height) {
  const [, hue, sky, ground] = SCENES[i];
  const sunX = 0.2 + (0.6 * ((i * 37) % 100)) / 100;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky}"/><stop offset="1" stop-color="hsl(${hue},45%,70%)"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#s)"/>
    <circle cx="${sunX * width}" cy="${0.3 * height}" r="${0.08 * height}" fill="hsl(${(hue + 40) % 360},90%,85%)" opacity="0.9"/>
    <path d="M0 ${0.7 * height} Q ${0.3 * width} ${0.5 * height} ${0.6 * width} ${0.68 * height} T ${width} ${0.62 * height} V ${height} H 0 Z" fill="${ground}"/>
    <path d="M0 ${0.85 * height} Q ${0.4 * width} ${0.72 * height} ${width} ${0.86 * height} V ${height} H 0 Z" fill="hsl(${hue},30%,25%)" opacity="0.8"/>
  </svg>`;
}

async function photo(i, width = 3000, height = 2000) {
  const noise = Buffer.alloc(width * height);
  let seed = 1000 + i;
  for (let k = 0; k < noise.length; k++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    noise[k] = 118 + ((seed >> 16) % 20);
  }
  const grain = await sharp(noise, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
  const taken = new Date(Date.UTC(2026, 5, 13, 14, 0, 0) + i * 7 * 60_000).toISOString().replace(/-/g, ":").replace("T", " ").slice(0, 19);
  const original = await sharp(Buffer.from(scene(i, width, height)))
    .composite([{ input: grain, blend: "overlay" }])
    .jpeg({ quality: 88 })
    .withExif({
      IFD0: { Make: "Canon", Model: "Canon EOS R6 Mark II" },
      IFD2: {
        LensModel: "RF28-70mm F2 L USM",
        FocalLength: `${35 + (i % 4) * 10}/1`,
        FNumber: "20/10",
        ExposureTime: "1/320",
        ISOSpeedRatings: "800",
        DateTimeOriginal: taken,
      },
    })
    .toBuffer();
  const master = await sharp(original).resize(2048, 2048, { fit: "inside" }).jpeg({ quality: 90 }).toBuffer();
  return { set: SCENES[i][0], filename: `ALS_${String(4101 + i).padStart(4, "0")}.jpg`, original, master };
}

/** Creates the sample gallery through the API; `api(method, path, body, contentType)` → { status, json }. */
export async function createSampleGallery(api, studioId) {
  const base = `/api/studios/${studioId}/galleries`;
  const created = await api("POST", base, {
    title: "Ana & Luis — Wedding",
    description: "A sample gallery: open it, browse the sets, and see how clients proof.",
    visibility: "public",
    sets: ["Getting ready", "Ceremony", "Reception"],
    downloads: { mode: "web" },
    selection: { maxPerList: 40 },
  });
  if (created.status !== 201) throw new Error(`sample gallery: ${created.status} ${JSON.stringify(created.json)}`);
  const gallery = created.json.gallery;
  const setIds = Object.fromEntries(gallery.sets.map((s) => [s.name, s.id]));
  for (let i = 0; i < SCENES.length; i++) {
    const p = await photo(i);
    const start = await api("POST", `${base}/${gallery.id}/photos`, {
      filename: p.filename,
      size: p.original.length,
      contentType: "image/jpeg",
      setId: setIds[p.set],
    });
    if (start.status !== 201) throw new Error(`sample photo: ${start.status} ${JSON.stringify(start.json)}`);
    const { photo: created, upload } = start.json;
    const path = `${base}/${gallery.id}/photos/${created.id}`;
    await api("PUT", `${path}/master`, p.master, "image/jpeg");
    for (let n = 1; n <= upload.partCount; n++) {
      await api("PUT", `${path}/original/parts/${n}`, p.original.subarray((n - 1) * upload.partSize, n * upload.partSize), "application/octet-stream");
    }
    const done = await api("POST", `${path}/original/complete`);
    if (done.status !== 200) throw new Error(`sample photo: ${done.status} ${JSON.stringify(done.json)}`);
  }
  await openSampleStore(api, studioId, gallery.id);
  return gallery;
}

/** A price sheet on the sample gallery, so the demo shows the store and its checkout. */
async function openSampleStore(api, studioId, galleryId) {
  const sheet = await api("POST", `/api/studios/${studioId}/store/price-sheets`, {
    name: "Wedding prints and files",
    currency: "usd",
    taxRateBps: 800,
    items: [
      { kind: "print", name: "Fine art print 8×10", size: "8×10", paper: "Hahnemühle Photo Rag", unitAmount: 3500 },
      { kind: "print", name: "Lustre print 5×7", size: "5×7", paper: "Lustre", unitAmount: 1200 },
      { kind: "canvas", name: "Canvas 16×20", size: "16×20", unitAmount: 18000 },
      { kind: "digital", name: "High-res download", variant: "high_res", unitAmount: 1500 },
      { kind: "package", name: "10 high-res files", variant: "high_res", packageCount: 10, unitAmount: 9900 },
    ],
    shipping: [
      { name: "Standard (5–7 days)", amount: 900 },
      { name: "Express (2 days)", amount: 2400 },
    ],
  });
  if (sheet.status !== 201) throw new Error(`sample price sheet: ${sheet.status} ${JSON.stringify(sheet.json)}`);
  const linked = await api("PATCH", `/api/studios/${studioId}/galleries/${galleryId}`, { priceSheetId: sheet.json.priceSheet.id });
  if (linked.status !== 200) throw new Error(`sample store: ${linked.status} ${JSON.stringify(linked.json)}`);
  const code = await api("POST", `/api/studios/${studioId}/store/discounts`, { code: "WELCOME10", kind: "percent", value: 1000 });
  if (code.status !== 201) throw new Error(`sample discount: ${code.status} ${JSON.stringify(code.json)}`);
}
