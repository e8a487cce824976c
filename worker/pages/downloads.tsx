// The page an order's download link opens: every file bought, one by one or as one zip (or a zip
// in parts, when the order is too big for one), and how many downloads and days the link has left.
import { byteSize } from "../contract/sizes";
import type { OrderZipParts } from "../domain/store/order-zip";
import type { orderDownloads } from "../domain/store/purchased-downloads";
import type { getProfile } from "../domain/studios/profile";
import { Layout } from "./layout";

type Studio = Awaited<ReturnType<typeof getProfile>>;

function Header(props: { studio: Studio; orderNumber: number }) {
  return (
    <header class="studio-header">
      <h1>{props.studio.name}</h1>
      <p class="tagline">Your downloads from order #{props.orderNumber}</p>
    </header>
  );
}

const SIZE = { web: "web size", high_res: "high resolution", original: "original" } as const;

/** Files listed per page: a whole wedding bought is thousands. */
export const FILES_PER_PAGE = 500;

/**
 * `base` is the link's own path: files are `<base>/f/<n>`, the zip `<base>/all.zip`; the list
 * shows FILES_PER_PAGE files from `from`.
 */
export function DownloadsPage(props: { view: Awaited<ReturnType<typeof orderDownloads>>; base: string; from: number }) {
  const { order, grant, studio } = props.view;
  const { from, base } = props;
  const files = props.view.files.map((f, i) => ({ name: f.photo.filename, variant: f.variant, href: `${base}/f/${i}` }));
  const shown = files.slice(from, from + FILES_PER_PAGE);
  const left = Math.max(0, grant.maxDownloads - grant.downloads);
  return (
    <Layout title={`Order #${order.number} · ${studio.name}`} accent={studio.accentColor}>
      <Header studio={studio} orderNumber={order.number} />
      <main class="studio-main downloads">
        {props.view.parts > 1 ? (
          <form method="post" action={`${base}/zip`}>
            <button type="submit" class="button">
              Download all ({files.length} files, in {props.view.parts} zips)
            </button>
          </form>
        ) : (
          <p>
            <a class="button" href={`${base}/all.zip`}>
              Download all ({files.length === 1 ? "1 file" : `${files.length} files`}, zip)
            </a>
          </p>
        )}
        <p class="muted">
          This link has {left} of {grant.maxDownloads} downloads left and works until {new Date(grant.expiresAt).toUTCString()}. Each file counts as one, and so
          does each "download all" (all its zips together).
        </p>
        <ol class="files" start={from + 1}>
          {shown.map((f) => (
            <li>
              <a href={f.href}>{f.name}</a> <span class="muted">({SIZE[f.variant]})</span>
            </li>
          ))}
        </ol>
        {files.length > FILES_PER_PAGE && (
          <nav class="pager">
            {from > 0 && (
              <a href={`${base}?from=${Math.max(0, from - FILES_PER_PAGE)}`}>
                ← Files {Math.max(1, from - FILES_PER_PAGE + 1)}–{from}
              </a>
            )}{" "}
            <span class="muted">
              Files {shown.length ? `${from + 1}–${from + shown.length}` : "none"} of {files.length}
            </span>{" "}
            {from + FILES_PER_PAGE < files.length && (
              <a href={`${base}?from=${from + FILES_PER_PAGE}`}>
                Files {from + FILES_PER_PAGE + 1}–{Math.min(files.length, from + 2 * FILES_PER_PAGE)} →
              </a>
            )}
          </nav>
        )}
      </main>
    </Layout>
  );
}

/** After "download all" for an order too big for one zip: a link per part, each good for a day. */
export function ZipPartsPage(props: { plan: OrderZipParts; base: string }) {
  const { plan } = props;
  const files = plan.parts.reduce((n, p) => n + p.files, 0);
  const bytes = plan.parts.reduce((n, p) => n + p.bytes, 0);
  return (
    <Layout title={`Order #${plan.orderNumber} · ${plan.studio.name}`} accent={plan.studio.accentColor}>
      <Header studio={plan.studio} orderNumber={plan.orderNumber} />
      <main class="studio-main downloads">
        <p>
          {files} files, about {byteSize(bytes)}, in {plan.parts.length} zips: download each one. A part that stops half-way can be downloaded again from here
          until {new Date(plan.expiresAt).toUTCString()}, without counting again.
        </p>
        <p class="muted">This counted as one download; the order's link has {plan.left} left.</p>
        <ol class="files parts">
          {plan.parts.map((p) => (
            <li>
              <a href={p.href} download={p.filename}>
                {p.filename}
              </a>{" "}
              <span class="muted">
                ({p.files} files, {byteSize(p.bytes)})
              </span>
            </li>
          ))}
        </ol>
        <p>
          <a href={props.base}>Back to the order's files</a>
        </p>
      </main>
    </Layout>
  );
}
