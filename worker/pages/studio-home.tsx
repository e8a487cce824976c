// A studio's public home page at <slug>.<root>.
import type { StudioProfile } from "../contract/studios";
import { Layout } from "./layout";

export function StudioHome(props: { profile: StudioProfile; galleries: { id: string; title: string; coverUrl: string | null }[]; more: string | null }) {
  const { profile } = props;
  return (
    <Layout title={profile.name} accent={profile.accentColor}>
      <header
        class={profile.coverFile ? "studio-header with-cover" : "studio-header"}
        style={profile.coverFile ? `background-image:url(/brand/${profile.coverFile})` : undefined}
      >
        {profile.logoFile ? <img class="studio-logo" src={`/brand/${profile.logoFile}`} alt="" /> : null}
        <h1>{profile.name}</h1>
        {profile.tagline ? <p class="tagline">{profile.tagline}</p> : null}
      </header>
      <main class="studio-main">
        {profile.about ? (
          <section class="about">
            {profile.about.split(/\n{2,}/).map((para) => (
              <p>{para}</p>
            ))}
          </section>
        ) : null}
        <section class="galleries" id="galleries">
          <h2>Client galleries</h2>
          {props.galleries.length > 0 ? (
            <ul class="gallery-cards">
              {props.galleries.map((g, i) => (
                <li>
                  <a href={`/g/${g.id}`}>
                    {g.coverUrl ? <img src={g.coverUrl} alt="" loading={i < 6 ? "eager" : "lazy"} /> : <span class="no-cover"></span>}
                    <span class="card-title">{g.title}</span>
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
          {props.more ? (
            <p class="more-galleries">
              <a href={`/?more=${encodeURIComponent(props.more)}#galleries`}>More galleries</a>
            </p>
          ) : null}
          <p class="muted">Your private gallery link from {profile.name} opens your photos here.</p>
        </section>
        <section class="contact">
          <h2>Get in touch</h2>
          {profile.contactEmail ? (
            <p>
              <a href={`mailto:${profile.contactEmail}`}>{profile.contactEmail}</a>, or write here:
            </p>
          ) : null}
          <form id="contact" class="card">
            <label>
              Your name <input name="name" autocomplete="name" required maxlength={100} />
            </label>
            <label>
              Email <input name="email" type="email" autocomplete="email" required />
            </label>
            <label>
              Message <textarea name="message" rows={5} required maxlength={4000}></textarea>
            </label>
            {/* Hidden from people; bots fill it in. */}
            <label class="hp" aria-hidden="true">
              Website <input name="website" tabindex={-1} autocomplete="off" />
            </label>
            <button type="submit">Send message</button>
            <p id="contact-result" role="status" class="muted"></p>
          </form>
        </section>
      </main>
      <footer class="studio-footer">
        <span>Proofing by Loupe</span>
      </footer>
      <script type="module" src="/assets/contact.js"></script>
    </Layout>
  );
}
