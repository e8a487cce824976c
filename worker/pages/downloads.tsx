// The page an order's download link opens: every file bought, one by one or as one zip, and how
// many downloads and days the link has left.
import type { orderDownloads } from "../domain/store/purchased-downloads";
import { Layout } from "./layout";

const SIZE = { web: "web size", high_res: "high resolution", original: "original" } as const;

/** `base` is the link's own path: files are `<base>/f/<n>`, the zip `<base>/all.zip`. */
export function DownloadsPage(props: { view: Awaited<ReturnType<typeof orderDownloads>>; base: string }) {
  const { order, grant, studio } = props.view;
  const files = props.view.files.map((f, i) => ({ name: f.photo.filename, variant: f.variant, href: `${props.base}/f/${i}` }));
  const left = Math.max(0, grant.maxDownloads - grant.downloads);
  return (
    <Layout title={`Order #${order.number} · ${studio.name}`} accent={studio.accentColor}>
      <header class="studio-header">
        <h1>{studio.name}</h1>
        <p class="tagline">Your downloads from order #{order.number}</p>
      </header>
      <main class="studio-main downloads">
        <p>
          <a class="button" href={`${props.base}/all.zip`}>
            Download all ({files.length === 1 ? "1 file" : `${files.length} files`}, zip)
          </a>
        </p>
        <p class="muted">
          This link has {left} of {grant.maxDownloads} downloads left and works until {new Date(grant.expiresAt).toUTCString()}. Each file or zip counts as one.
        </p>
        <ol class="files">
          {files.map((f) => (
            <li>
              <a href={f.href}>{f.name}</a> <span class="muted">({SIZE[f.variant]})</span>
            </li>
          ))}
        </ol>
      </main>
    </Layout>
  );
}
