import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The console's only script: passkeys, where the browser has them. Pages work without it (the password form is always
 * there); it shows the passkey buttons, runs the WebAuthn ceremony with @simplewebauthn/browser (served from the
 * gateway, no CDN) and posts the result as JSON with the session's CSRF token.
 */
export const passkeyScript = `(() => {
  const lib = window.SimpleWebAuthnBrowser;
  if (!lib || !lib.browserSupportsWebAuthn()) return;
  const post = async (url, body, csrf) => {
    const headers = { 'content-type': 'application/json' };
    if (csrf) headers['x-csrf-token'] = csrf;
    const answer = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
    const json = await answer.json();
    if (!answer.ok) throw new Error(json.detail || answer.statusText);
    return json;
  };
  for (const button of document.querySelectorAll('button[data-passkey]')) {
    const status = document.getElementById(button.dataset.status);
    button.hidden = false;
    button.addEventListener('click', async () => {
      button.disabled = true;
      if (status) status.textContent = '';
      try {
        const csrf = button.dataset.csrf;
        const { options, challengeId } = await post(button.dataset.options, {}, csrf);
        if (button.dataset.passkey === 'register') {
          const response = await lib.startRegistration({ optionsJSON: options });
          await post(button.dataset.verify, { challengeId, response }, csrf);
          location.reload();
        } else {
          const response = await lib.startAuthentication({ optionsJSON: options });
          const { next } = await post(button.dataset.verify, { challengeId, response, next: button.dataset.next });
          location.assign(next);
        }
      } catch (error) {
        if (status) status.textContent = error.message;
        button.disabled = false;
      }
    });
  }
})();
`;

/** @simplewebauthn/browser's own bundle, as installed with the gateway (its package exports no path to it). */
export function webauthnBundle(): string {
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
}
