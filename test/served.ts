// What a sandboxed target downloads from the internet, which a sandbox cannot reach: served by this
// machine, on its end of the sandbox's veth, over HTTPS under the name the target uses, with a
// certificate of a CA made for the run that only that sandbox trusts (its name in the sandbox's
// /etc/hosts, the CA in its certificate bundle: the sandbox is a throw-away overlay). A stand-in
// for that site, not the site: what it serves is the test's own.
import { createServer } from 'node:https';
import { generateCa, issue } from '../lib/connections/talos/pki.js';
import type { Sandbox } from './sandbox.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Serves `files` (URL path → body) as https://NAME/ to the sandbox; the returned function stops it. */
export async function serveToSandbox(sb: Sandbox, name: string, files: Record<string, Buffer>): Promise<() => Promise<void>> {
  const ca = await generateCa('CN=agri-play test CA');
  const leaf = await issue({ crt: b64(ca.crt), key: b64(ca.key) }, { subject: `CN=${name}`, dns: [name] });
  const server = createServer({ key: leaf.key, cert: leaf.crt }, (req, res) => {
    const body = files[req.url ?? ''];
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/octet-stream' });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(443, sb.hostAddress, resolve));
  sb.sh(`printf '%s %s\\n' ${sb.hostAddress} ${name} >> /etc/hosts && cat >> /etc/ssl/certs/ca-certificates.crt`, ca.crt);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
}
