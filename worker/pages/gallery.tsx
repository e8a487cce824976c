// A client gallery as a server-rendered page: a section per set with its count, the first
// screenful of tiles, and the rest as the client scrolls (web/gallery fetches each section's next
// page as it nears the screen). A section not yet loaded holds its height, so the scrollbar and
// the set links are right from the start. Without JavaScript, the first screenful shows.

import { raw } from "hono/html";
import type { GalleryPageData, GalleryPagePhoto } from "../contract/galleries";
import type { clientGalleryView } from "../domain/galleries/client-view";
import { FormPage, Layout } from "./layout";

type Gallery = Awaited<ReturnType<typeof clientGalleryView>>;

// About a screenful of tiles on a laptop: requested first, not lazily after layout.
const EAGER = 12;

const appData = (gallery: Gallery): GalleryPageData => ({
  galleryId: gallery.id,
  downloads: gallery.downloads,
  myDownloads: gallery.myDownloads,
  sets: gallery.sets,
  total: gallery.total,
  first: gallery.first,
});

/** JSON that cannot end the script element it sits in. */
const safeJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

function Tile(props: { p: GalleryPagePhoto; i: number }) {
  const { p, i } = props;
  return (
    <li style={`--ar:${p.width ?? 3}/${p.height ?? 2}`} data-photo-id={p.id} data-stack={p.stack?.id} data-stack-size={p.stack?.size}>
      <a href={p.preview}>
        {/* The first screenful loads at once and first; the rest as the client scrolls. */}
        <img
          src={p.thumb}
          alt={p.filename}
          loading={i < EAGER ? "eager" : "lazy"}
          fetchpriority={i < EAGER ? "high" : "auto"}
          width={p.width ?? undefined}
          height={p.height ?? undefined}
        />
      </a>
    </li>
  );
}

/** When the studio wants the selection, in UTC here; the gallery script shows it in the client's own time. */
function DueDate(props: { dueAt: number; locks: boolean }) {
  const when = <time datetime={new Date(props.dueAt).toISOString()}>{new Date(props.dueAt).toUTCString().slice(0, 22)} UTC</time>;
  if (props.locks && Date.now() >= props.dueAt) return <p class="due closed">The selection closed on {when}.</p>;
  return (
    <p class="due">
      Please choose your favourites by {when}
      {props.locks ? ": the selection closes then." : "."}
    </p>
  );
}

export function GalleryPage(props: { studioName: string; accent: string; logoFile: string | null; gallery: Gallery }) {
  const { gallery } = props;
  const named = gallery.sets.filter((s) => s.name);
  return (
    // A module script in the head is fetched at once (with the chunk it imports) and runs after
    // the page is parsed.
    <Layout title={`${gallery.title} · ${props.studioName}`} accent={props.accent} head={<script type="module" src="/assets/app/gallery.js"></script>}>
      <header class="gallery-header">
        <a class="studio-link" href="/">
          {props.logoFile ? <img class="studio-logo" src={`/brand/${props.logoFile}`} alt={props.studioName} /> : props.studioName}
        </a>
        <h1>{gallery.title}</h1>
        {gallery.description ? <p class="tagline">{gallery.description}</p> : null}
        <p class="muted">{gallery.total} photos</p>
        {gallery.selection.dueAt ? <DueDate dueAt={gallery.selection.dueAt} locks={!!gallery.selection.lockAtDue} /> : null}
        {named.length > 1 ? (
          <nav class="set-links" aria-label="Sets">
            {named.map((s) => (
              <a href={`#set-${s.id || "more"}`}>
                {s.name} <span class="muted">{s.count}</span>
              </a>
            ))}
          </nav>
        ) : null}
      </header>
      <main class="gallery-main">
        {gallery.total === 0 ? <p class="muted empty">Photos are on their way — this page fills in as they are processed.</p> : null}
        {gallery.sets.map((s) => {
          const mine = s.id === gallery.first.setId ? gallery.first.photos : [];
          return (
            <section class="photo-set" id={`set-${s.id || "more"}`} data-set={s.id} data-count={s.count} style={`--unloaded:${s.count - mine.length}`}>
              {s.name ? <h2>{s.name}</h2> : null}
              <ul class="grid">
                {mine.map((p, i) => (
                  <Tile p={p} i={i} />
                ))}
              </ul>
            </section>
          );
        })}
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

/** The door of a private gallery, or of one that asks who is coming in: the fields `asks` names. */
export function GalleryAccessPage(props: { studioName: string; galleryId: string; asks: string[] }) {
  const password = props.asks.includes("password");
  const email = props.asks.includes("email");
  const lede = password
    ? `This gallery is private; enter its password${email ? ", your name and your email" : ""}.`
    : "Before you look, tell the studio who you are: your name and email.";
  return (
    <FormPage
      title={`${password ? "Private gallery" : "Gallery"} · ${props.studioName}`}
      heading={props.studioName}
      lede={lede}
      formId="gallery-access"
      resultId="access-result"
      submit="Open gallery"
      script="gallery-access.js"
      data={{ gallery: props.galleryId }}
    >
      <label>
        Your name <input name="name" autocomplete="name" required={email} maxlength={100} />
      </label>
      {email ? (
        <label>
          Your email <input name="email" type="email" autocomplete="email" required maxlength={254} />
        </label>
      ) : null}
      {password ? (
        <label>
          Gallery password <input name="password" type="password" required />
        </label>
      ) : null}
    </FormPage>
  );
}
