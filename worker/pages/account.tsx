// The pages a mailed account link opens, and the form that asks for one. Each submits through
// /assets/account-link.js; a link that can no longer be used gets a page that says so and how on.
import { FormPage, Layout } from "./layout";

export function ForgotPage() {
  return (
    <FormPage
      title="Loupe · Forgot your password"
      heading="Forgot your password?"
      lede="Give the address you sign in with; if it has a Loupe account, a link to choose a new password is on its way. It works once, for an hour."
      formId="forgot"
      resultId="forgot-result"
      submit="Send me a link"
      script="account-link.js"
      data={{ action: "/api/auth/password/forgot", done: "If that address has a Loupe account, a link is on its way. Check your inbox (and spam folder)." }}
    >
      <label>
        Email <input name="email" type="email" autocomplete="username" required />
      </label>
    </FormPage>
  );
}

export function ResetPage(props: { token: string }) {
  return (
    <FormPage
      title="Loupe · Choose a new password"
      heading="Choose a new password"
      lede="At least 10 characters. Every device signed in to your account is signed out."
      formId="reset"
      resultId="reset-result"
      submit="Set my new password"
      script="account-link.js"
      data={{ action: "/api/auth/password/reset", token: props.token, done: "Your password is changed and every other sign-in has ended." }}
    >
      <label>
        New password <input name="password" type="password" autocomplete="new-password" minlength={10} required />
      </label>
    </FormPage>
  );
}

export function VerifyPage(props: { token: string; email: string }) {
  return (
    <FormPage
      title="Loupe · Confirm your email"
      heading="Confirm your email"
      lede={`Confirm that ${props.email} is your address. Loupe can then mail your clients, take payments and connect your own domain.`}
      formId="verify"
      resultId="verify-result"
      submit={`Confirm ${props.email}`}
      script="account-link.js"
      data={{ action: "/api/auth/email/confirm", token: props.token, done: `${props.email} is confirmed. Thank you.` }}
    >
      {null}
    </FormPage>
  );
}

export function DeadLinkPage(props: { message: string; retry: { href: string; label: string } }) {
  return (
    <Layout title="Loupe · This link does not work">
      <main class="message">
        <p class="status">410</p>
        <h1>This link does not work any more</h1>
        <p>{props.message}</p>
        <p>
          <a href={props.retry.href}>{props.retry.label}</a>
        </p>
      </main>
    </Layout>
  );
}

export function InvitePage(props: { token: string; studio: string; email: string; role: "owner" | "staff"; hasAccount: boolean }) {
  const as = props.role === "owner" ? "an owner" : "staff";
  return (
    <FormPage
      title={`Loupe · Join ${props.studio}`}
      heading={`Join ${props.studio}`}
      lede={
        props.hasAccount
          ? `You are invited as ${as}. Sign in as ${props.email} to join.`
          : `You are invited as ${as}. Create your Loupe account for ${props.email} to join.`
      }
      formId="accept-invite"
      resultId="accept-result"
      submit={props.hasAccount ? "Sign in and join" : "Create account and join"}
      script="account-link.js"
      data={{ action: "/api/auth/invites/accept", token: props.token, done: `Welcome to ${props.studio}.`, next: "/" }}
    >
      {props.hasAccount ? null : (
        <label>
          Your name <input name="name" autocomplete="name" required />
        </label>
      )}
      <label>
        {props.hasAccount ? "Your password" : "Choose a password (at least 10 characters)"}{" "}
        <input
          name="password"
          type="password"
          autocomplete={props.hasAccount ? "current-password" : "new-password"}
          minlength={props.hasAccount ? 1 : 10}
          required
        />
      </label>
      {props.hasAccount ? (
        <label>
          Code from your authenticator app, if you use two-factor sign-in{" "}
          <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength={6} />
        </label>
      ) : null}
    </FormPage>
  );
}
