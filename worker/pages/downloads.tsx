// The page an order's download link opens: every file bought, one by one or as one zip, and how
// many downloads and days the link has left.
import type { downloadGrants } from "../db/tenant-schema";
import type { OrderRow } from "../domain/store/orders";
import { Layout } from "./layout";

const SIZE = { web: "web size", high_res: "high resolution", original: "original" } as const;

export function DownloadsPage(props: {
  studioName: string;
  accent: string;
  order: OrderRow;
  grant: typeof downloadGrants.$inferSelect;
  files: { name: string; variant: keyof typeof SIZE; href: string }[];
  zipHref: string;
}) {
  const { order, grant } = props;
  const left = Math.max(0, grant.maxDownloads - grant.downloads);
  return (
    <Layout title={`Order #${order.number} · ${props.studioName}`} accent={props.accent}>
      <header class="studio-header">
        <h1>{props.studioName}</h1>
        <p class="tagline">Your downloads from order #{order.number}</p>
      </header>
      <main class="studio-main downloads">
        <p>
          <a class="button" href={props.zipHref}>
            Download all ({props.files.length === 1 ? "1 file" : `${props.files.length} files`}, zip)
          </a>
        </p>
        <p class="muted">
          This link has {left} of {grant.maxDownloads} downloads left and works until {new Date(grant.expiresAt).toUTCString()}. Each file or zip counts as one.
        </p>
        <ol class="files">
          {props.files.map((f) => (
            <li>
              <a href={f.href}>{f.name}</a> <span class="muted">({SIZE[f.variant]})</span>
            </li>
          ))}
        </ol>
      </main>
    </Layout>
  );
}
