// The dashboard's entry page at app.<root>: sign-in now; the full dashboard app mounts here.
import { FormPage } from "./layout";

export function DashboardHome() {
  return (
    <FormPage title="Loupe · Sign in" heading="Loupe" lede="Live proofing for photographers." formId="signin"
      resultId="signin-result" submit="Sign in" script="signin.js">
      <label>
        Email <input name="email" type="email" autocomplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autocomplete="current-password" required />
      </label>
    </FormPage>
  );
}
