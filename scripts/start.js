#!/usr/bin/env node
// `npm start`: builds dist/ when the sources are newer, then runs the server in this same process.
// With `build && node main` npm's shell would stand between npm and the server, and a signal to the
// process npm started would never reach the server.
require('./build-if-needed');
require('../dist/src/main');
