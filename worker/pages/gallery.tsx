// A client gallery as a server-rendered page: the photos in a grid, by set, each opening its
// watermarked preview. The proofing app (web/gallery) mounts on it and makes it live; without
// JavaScript the page still shows every photo.

import { raw } from "hono/html";
import type { GalleryPageData } from "../contract/galleries";
import type { clientGalleryView } from "../domain/galleries/client-view";
import { FormPage, Layout } from "./layout";

type Gallery = Awaited<ReturnType<typeof clientGalleryView>>;

// About a screenful of tiles on a laptop: requested first, not lazily after layout.
const EAGER = 12;

// The grid's photos in page order (sets first, as rendered), for the lightbox.
function appData(gallery: Gallery): GalleryPageData {
  const order = [...gallery.sets.map((s) => s.id), null];
  const photos = [...gallery.photos].sort(
    (a, b) => order.indexOf(order.includes(a.setId) ? a.setId : null) - order.indexOf(order.includes(b.setId) ? b.setId : null),
  );
  return {
    galleryId: gallery.id,
    downloads: gallery.downloads,
    photos: photos.map((p) => ({ id: p.id, filename: p.filename, thumb: p.urls?.thumb ?? "", preview: p.urls?.preview ?? "" })),
  };
}

/** JSON that cannot end the script element it sits in. */
const safeJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

export function GalleryPage(props: { studioName: string; accent: string; gallery: Gallery }) {
  const { gallery } = props;
  const groups = [
    ...gallery.sets.map((s) => ({ id: s.id, name: s.name, photos: gallery.photos.filter((p) => p.setId === s.id) })),
    { id: "", name: gallery.sets.length ? "More" : "", photos: gallery.photos.filter((p) => !p.setId || !gallery.sets.some((s) => s.id === p.setId)) },
  ]
    .filter((g) => g.photos.length > 0)
    .map((g, i, all) => ({ ...g, offset: all.slice(0, i).reduce((n, x) => n + x.photos.length, 0) }));
  return (
    // A module script in the head is fetched at once (with the chunk it imports) and runs after
    // the page is parsed; at the end of a 1,000-tile page it would wait for all of it.
    <Layout title={`${gallery.title} · ${props.studioName}`} accent={props.accent} head={<script type="module" src="/assets/app/gallery.js"></script>}>
      <header class="gallery-header">
        <a class="studio-link" href="/">
          {props.studioName}
        </a>
        <h1>{gallery.title}</h1>
        {gallery.description ? <p class="tagline">{gallery.description}</p> : null}
        <p class="muted">{gallery.photos.length} photos</p>
      </header>
      <main class="gallery-main">
        {gallery.photos.length === 0 ? <p class="muted empty">Photos are on their way — this page fills in as they are processed.</p> : null}
        {groups.map((g) => (
          <section class="photo-set">
            {g.name ? <h2>{g.name}</h2> : null}
            <ul class="grid">
              {g.photos.map((p, i) => (
                <li style={`--ar:${p.width ?? 3}/${p.height ?? 2}`} data-photo-id={p.id}>
                  <a href={p.urls?.preview}>
                    {/* The first screenful loads at once and first; the rest as the client scrolls. */}
                    <img
                      src={p.urls?.thumb}
                      alt={p.filename}
                      loading={g.offset + i < EAGER ? "eager" : "lazy"}
                      fetchpriority={g.offset + i < EAGER ? "high" : "auto"}
                      width={p.width ?? undefined}
                      height={p.height ?? undefined}
                    />
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </main>
      <footer class="studio-footer">
        <span>Proofing by Loupe</span>
      </footer>
      {/* Data for the app; a JSON script is not run, so the CSP needs no inline exception. */}
      <script type="application/json" id="gallery-data">
        {raw(safeJson(appData(gallery)))}
      </script>
    </Layout>
  );
}

export function GalleryPasswordPage(props: { studioName: string; galleryId: string; message: string }) {
  return (
    <FormPage
      title={`Private gallery · ${props.studioName}`}
      heading={props.studioName}
      lede={props.message}
      formId="gallery-access"
      resultId="access-result"
      submit="Open gallery"
      script="gallery-access.js"
      data={{ gallery: props.galleryId }}
    >
      <label>
        Your name <input name="name" autocomplete="name" />
      </label>
      <label>
        Gallery password <input name="password" type="password" required />
      </label>
    </FormPage>
  );
}
