// Test helper (not shipped): decrypts a SOPS file with the npm package sops-age and prints the
// result as JSON on stdout. Usage: SOPS_AGE_KEY=... node decrypt.mjs FILE yaml|json|env
// The key comes from the environment, never from the command line.
import { readFile } from "node:fs/promises";
import { decryptSops } from "sops-age";

const [file, fileType] = process.argv.slice(2);
const secretKey = process.env.SOPS_AGE_KEY;
if (!file || !fileType || !secretKey) {
  console.error("usage: SOPS_AGE_KEY=... node decrypt.mjs FILE yaml|json|env");
  process.exit(2);
}
try {
  const content = await readFile(file, "utf8");
  const out = await decryptSops(content, { secretKey, fileType });
  process.stdout.write(JSON.stringify(out));
} catch (e) {
  console.error("sops-age: " + (e && e.message ? e.message : String(e)));
  process.exit(1);
}
