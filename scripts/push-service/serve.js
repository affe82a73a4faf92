// The push service of the server's tests, in the foreground: `node serve.js PORT`.
// web-push-testing's own CLI (`web-push-testing --port P start`) runs the same server in a
// detached process; server/tests/common/outside.rs runs this instead, so as to stop it.
// Exits when its standard input closes: when the test process that started it ends, even
// killed, the service ends too.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
require('web-push-testing/src/bin/server.js');
