// The dashboard's page at app.<root>: the sign-in form, on which the dashboard app (web/dashboard) mounts.
import { FormPage } from "./layout";

export function DashboardHome() {
  return (
    <FormPage
      title="Loupe · Sign in"
      heading="Loupe"
      lede="Live proofing for photographers."
      formId="signin"
      resultId="signin-result"
      submit="Sign in"
      script="app/dashboard.js"
      after={
        <p class="muted aside" id="forgot-link">
          <a href="/forgot">Forgot your password?</a>
        </p>
      }
    >
      <label>
        Email <input name="email" type="email" autocomplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autocomplete="current-password" required />
      </label>
    </FormPage>
  );
}
