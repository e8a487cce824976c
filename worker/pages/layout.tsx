// The shell every server-rendered page shares.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";

export function Layout(props: { title: string; accent?: string; children: Child; head?: Child }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/site.css" />
          {props.accent ? <style>{`:root{--accent:${props.accent}}`}</style> : null}
          {props.head ?? null}
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

/** A small page with one card form whose script (under /assets) submits it and reports in `resultId`. */
export function FormPage(props: {
  title: string;
  heading: string;
  lede: string;
  formId: string;
  resultId: string;
  submit: string;
  script: string;
  data?: Record<string, string>;
  children: Child;
  /** Shown under the card (a way elsewhere, such as a forgotten password). */
  after?: Child;
}) {
  const data = Object.fromEntries(Object.entries(props.data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <Layout title={props.title}>
      <main class="auth">
        <h1>{props.heading}</h1>
        <p class="muted">{props.lede}</p>
        <form id={props.formId} class="card" {...data}>
          {props.children}
          <button type="submit">{props.submit}</button>
          <p id={props.resultId} role="status" class="muted"></p>
        </form>
        {props.after ?? null}
      </main>
      <script type="module" src={`/assets/${props.script}`}></script>
    </Layout>
  );
}
