// Chromium's virtual authenticator (DevTools protocol), for the browser tests
// that use passkeys: a platform authenticator with resident keys that verifies
// its user, so passkeys are created and used as on a laptop with a fingerprint
// reader. The page's origin must be http://localhost (a secure context; WebAuthn
// refuses IP addresses).
export async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    authenticatorId,
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
    // false: the authenticator can't verify its user, as when a person cancels the prompt.
    userVerified: (isUserVerified) => cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified }),
  };
}
