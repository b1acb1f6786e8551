'use strict';
// The compiled addon (src/*.cc, built by `npm install` through cmake-js). libpostwire.so.0
// lies next to it and is found through the addon's RPATH.
const path = require('node:path');

module.exports = require(path.join(__dirname, '..', 'build', 'Release', 'postwire.node'));
