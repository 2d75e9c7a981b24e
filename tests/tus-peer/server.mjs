// A stock tus server from npm (@tus/server + @tus/file-store) on 127.0.0.1, for HoSo's
// uploader to talk to. Prints "listening <port>" once it accepts connections; stores files in
// $TUS_DIR.
import http from 'node:http';

import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';

const directory = process.env.TUS_DIR;
if (!directory) {
  console.error('TUS_DIR is required');
  process.exit(2);
}
const tus = new Server({ path: '/files', datastore: new FileStore({ directory }) });
const server = http.createServer((req, res) => tus.handle(req, res));
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
