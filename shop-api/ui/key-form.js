// @ts-check
/* global document, location, HTMLFormElement, HTMLInputElement */
import { apiKey, setApiKey, UNAUTHORIZED_EVENT } from './api-key.js';
import { byId, control } from './dom.js';

/** The "API key" form in the header: shown when there is no key or the API refused it; a new key reloads the page. */
export function setUpKeyForm() {
  const form = byId('key-form', HTMLFormElement);
  const input = control(form, 'apiKey', HTMLInputElement);
  const show = () => {
    form.hidden = false;
  };
  if (apiKey() === '') show();
  document.addEventListener(UNAUTHORIZED_EVENT, show);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim() === '') return;
    setApiKey(input.value);
    location.reload();
  });
}
