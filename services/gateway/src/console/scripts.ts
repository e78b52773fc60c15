import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DxError } from '@sangam/core';

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

/**
 * The audit pages' script: runs the verifier (served beside it, imported as a module) on the page's entry or
 * checkpoints as soon as the page loads, and writes each step in the page's own words.
 */
export const auditScript = `import { verifyCheckpoints, verifyEntry } from '/console/verifier.js';
const panel = document.getElementById('verify');
if (panel) {
  const words = JSON.parse(panel.dataset.words || '{}');
  const say = (key, values = {}) => (words[key] || key).replace(/\\{(\\w+)\\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  const list = panel.querySelector('ol');
  const verdict = panel.querySelector('.verdict');
  const again = panel.querySelector('button');
  const get = async (path) => {
    const answer = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    const body = await answer.json();
    if (!answer.ok) throw new Error(body.detail || body.title || answer.statusText);
    return body;
  };
  const run = async () => {
    again.disabled = true;
    list.textContent = '';
    verdict.textContent = words.running;
    delete verdict.dataset.result;
    try {
      const steps = panel.dataset.mode === 'entry'
        ? await verifyEntry(get, Number(panel.dataset.seq))
        : await verifyCheckpoints(get, Number(panel.dataset.from), Number(panel.dataset.to));
      for (const step of steps) {
        const item = document.createElement('li');
        item.className = step.ok ? 'ok' : 'fail';
        item.dataset.step = step.step;
        item.textContent = say(step.step + (step.ok ? 'Ok' : 'Fail'), step.values);
        list.append(item);
      }
      const ok = steps.length > 0 && steps.every((step) => step.ok);
      // An entry newer than the newest checkpoint is not wrong: it cannot be verified yet.
      const pending = !ok && steps.every((step) => step.ok || step.step === 'notYet');
      const result = ok ? 'verified' : pending ? 'pending' : 'failed';
      verdict.textContent = words[result];
      verdict.dataset.result = result;
    } catch (error) {
      verdict.textContent = say('error', { why: error.message });
      verdict.dataset.result = 'error';
    }
    again.hidden = false;
    again.disabled = false;
  };
  again.addEventListener('click', run);
  run();
}
`;

/**
 * The verifier module as compiled beside the console (dist/console/verifier.js): read from the package's dist
 * whether the console runs from dist or from its sources, so the browser gets the code the Node tests run.
 */
export function verifierModule(): string {
  let compiled: string;
  try {
    compiled = readFileSync(new URL('../../dist/console/verifier.js', import.meta.url), 'utf8');
  } catch {
    throw new DxError('notFound', 'The verifier is not built here: run pnpm build');
  }
  // The source map is not served.
  return compiled.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n');
}
