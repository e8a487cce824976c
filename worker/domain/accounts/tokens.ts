// Short-lived access tokens (jose, HS256). Verification pins algorithm, issuer and audience.
import { jwtVerify, SignJWT } from "jose";

/** Who a dashboard request is: the account and the refresh session it signed in with. */
export interface Session {
  accountId: string;
  sessionId: string;
}

export const ACCESS_TTL_SECONDS = 15 * 60;
const ISSUER = "loupe";
const AUDIENCE = "loupe:dashboard";

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signAccessToken(session: Session, secret: string): Promise<string> {
  return new SignJWT({ sid: session.sessionId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(session.accountId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TTL_SECONDS}s`)
    .sign(key(secret));
}

/** The session the token names, or null for anything expired, forged or malformed. */
export async function verifyAccessToken(token: string, secret: string): Promise<Session | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE });
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
    return { accountId: payload.sub, sessionId: payload.sid };
  } catch {
    return null;
  }
}

// Between a right password and a right second factor: who is signing in, for five minutes.
const CHALLENGE_AUDIENCE = "loupe:second-factor";

export async function signSecondFactorChallenge(accountId: string, secret: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(accountId)
    .setIssuer(ISSUER)
    .setAudience(CHALLENGE_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key(secret));
}

export async function verifySecondFactorChallenge(token: string, secret: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: ISSUER, audience: CHALLENGE_AUDIENCE });
    return typeof payload.sub === "string" ? payload.sub : null;
  } catch {
    return null;
  }
}
