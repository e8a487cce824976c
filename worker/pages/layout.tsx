// The shell every server-rendered page shares.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";

export function Layout(props: { title: string; accent?: string; children: Child }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        {props.accent ? <style>{`:root{--accent:${props.accent}}`}</style> : null}
      </head>
      <body>{props.children}</body>
      </html>
    </>
  );
}

export function MessagePage(props: { title: string; status: number; message: string; requestId?: string }) {
  return (
    <Layout title={`${props.title} · Loupe`}>
      <main class="message">
        <p class="status">{props.status}</p>
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        {props.requestId ? <p class="muted">Request id {props.requestId}</p> : null}
      </main>
    </Layout>
  );
}
