// A client gallery as a server-rendered page: the photos in a grid, by set, each opening its
// watermarked preview. The live proofing app (favourites, comments, presence) mounts here later.
import type { publicGallery } from "../domain/galleries/public";
import { FormPage, Layout } from "./layout";

type Gallery = Awaited<ReturnType<typeof publicGallery>>;

export function GalleryPage(props: { studioName: string; accent: string; gallery: Gallery }) {
  const { gallery } = props;
  const groups = [
    ...gallery.sets.map((s) => ({ id: s.id, name: s.name, photos: gallery.photos.filter((p) => p.setId === s.id) })),
    { id: "", name: gallery.sets.length ? "More" : "", photos: gallery.photos.filter((p) => !p.setId || !gallery.sets.some((s) => s.id === p.setId)) },
  ].filter((g) => g.photos.length > 0);
  return (
    <Layout title={`${gallery.title} · ${props.studioName}`} accent={props.accent}>
      <header class="gallery-header">
        <a class="studio-link" href="/">{props.studioName}</a>
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
              {g.photos.map((p) => (
                <li style={`--ar:${p.width ?? 3}/${p.height ?? 2}`}>
                  <a href={p.urls?.preview}>
                    <img src={p.urls?.thumb} alt={p.filename} loading="lazy" width={p.width ?? undefined} height={p.height ?? undefined} />
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
    </Layout>
  );
}

export function GalleryPasswordPage(props: { studioName: string; galleryId: string; message: string }) {
  return (
    <FormPage title={`Private gallery · ${props.studioName}`} heading={props.studioName} lede={props.message}
      formId="gallery-access" resultId="access-result" submit="Open gallery" script="gallery-access.js"
      data={{ gallery: props.galleryId }}>
      <label>
        Your name <input name="name" autocomplete="name" />
      </label>
      <label>
        Gallery password <input name="password" type="password" required />
      </label>
    </FormPage>
  );
}
