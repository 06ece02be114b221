// The access token lives here, in this module's memory, and nowhere else: not
// in localStorage, sessionStorage or a readable cookie. A reload loses it on
// purpose; the app then asks for a new one with the HttpOnly refresh cookie
// (a browser session, see session.ts), which script can never read.

let accessToken: string | null = null;

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
}
