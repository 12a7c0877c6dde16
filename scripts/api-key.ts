import { apiKeyEntry, generateApiKey } from '../lib/auth/api-keys';
import { isScope, SCOPES } from '../lib/auth/scopes';

/**
 * `npm run api-key -- NAME SCOPE…`: a new API key for a sender. Prints the key (give it to the sender, once) and
 * the API_KEYS entry holding only its SHA-256 (put that in the services' configuration).
 */
const [name, ...scopes] = process.argv.slice(2);
const unknown = scopes.filter((scope) => !isScope(scope));
if (!name || !/^[A-Za-z0-9._-]{1,64}$/.test(name) || scopes.length === 0 || unknown.length > 0) {
  process.stderr.write(
    `usage: npm run api-key -- NAME SCOPE…   (NAME: 1-64 letters, digits, . _ -; scopes: ${SCOPES.join(' ')})\n` +
      (unknown.length > 0 ? `unknown scope: ${unknown.join(', ')}\n` : ''),
  );
  process.exit(2);
}
const key = generateApiKey();
process.stdout.write(
  `key (give it to the sender; it is not stored anywhere): ${key}\n` +
    `API_KEYS entry (join several with ";"): ${apiKeyEntry(name, key, scopes.filter(isScope))}\n`,
);
