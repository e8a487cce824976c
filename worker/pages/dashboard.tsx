// The dashboard's entry page at app.<root>: sign-in now; the full dashboard app mounts here.
import { Layout } from "./layout";

export function DashboardHome() {
  return (
    <Layout title="Loupe · Sign in">
      <main class="auth">
        <h1>Loupe</h1>
        <p class="muted">Live proofing for photographers.</p>
        <form id="signin" class="card">
          <label>
            Email <input name="email" type="email" autocomplete="username" required />
          </label>
          <label>
            Password <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <button type="submit">Sign in</button>
          <p id="signin-result" role="status" class="muted"></p>
        </form>
      </main>
      <script type="module" src="/assets/signin.js"></script>
    </Layout>
  );
}
