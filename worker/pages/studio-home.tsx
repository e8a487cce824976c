// A studio's public home page at <slug>.<root>.
import type { StudioProfile } from "../domain/studios/profile";
import { Layout } from "./layout";

export function StudioHome(props: { profile: StudioProfile; galleries: { id: string; title: string }[] }) {
  const { profile } = props;
  return (
    <Layout title={profile.name} accent={profile.accentColor}>
      <header class="studio-header">
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
        <section class="galleries">
          <h2>Client galleries</h2>
          {props.galleries.length > 0 ? (
            <ul>
              {props.galleries.map((g) => (
                <li>
                  <a href={`/g/${g.id}`}>{g.title}</a>
                </li>
              ))}
            </ul>
          ) : null}
          <p class="muted">Your private gallery link from {profile.name} opens your photos here.</p>
        </section>
        {profile.contactEmail ? (
          <section class="contact">
            <h2>Contact</h2>
            <p>
              <a href={`mailto:${profile.contactEmail}`}>{profile.contactEmail}</a>
            </p>
          </section>
        ) : null}
      </main>
      <footer class="studio-footer">
        <span>Proofing by Loupe</span>
      </footer>
    </Layout>
  );
}
