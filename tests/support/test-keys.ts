import { randomBytes } from 'node:crypto';

/** The master key of this test run: fresh every run, as a generated development key is. */
export const TEST_MASTER_KEY = randomBytes(32);
/** As PII_MASTER_KEY for service processes. */
export const TEST_MASTER_KEY_BASE64 = TEST_MASTER_KEY.toString('base64');
