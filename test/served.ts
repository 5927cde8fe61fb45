// What a sandboxed target downloads from the internet, which a sandbox cannot reach: served by this
// machine, on its end of the sandbox's veth, over HTTPS under the name the target uses, with a
// certificate of a CA made for the run that only that sandbox trusts (its name in the sandbox's
// /etc/hosts, the CA in its certificate bundle: the sandbox is a throw-away overlay). A stand-in
// for that site, not the site: what it serves is the test's own.
import { createServer } from 'node:https';
import { generateCa, issue } from '../lib/connections/talos/pki.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** What a test serves to its sandbox: the site's name and its files (URL path → body), made when it starts. */
export interface Served {
  name: string;
  files: () => Record<string, Buffer>;
}

/** Serves the files as https://NAME/ to the sandbox (its end of the veth, and a shell on it); the returned function stops it. */
export async function serveToSandbox(sb: { hostAddress: string; sh(command: string, input?: string): void }, { name, files: make }: Served): Promise<() => Promise<void>> {
  const files = make();
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
