/**
 * The page the system browser shows after sign-in: it tells the user to go back to the
 * console (the console comes to the front by itself). Static text only: no token, no name.
 */
export function signInPage(kind: 'success' | 'error'): string {
  const title = kind === 'success' ? 'You are signed in' : 'Sign-in did not complete';
  const body =
    kind === 'success'
      ? 'You can close this tab and return to Clinician Console.'
      : 'Return to Clinician Console to try again.';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body style="font-family:sans-serif;margin:3rem"><h1>${title}</h1><p>${body}</p></body></html>`;
}
