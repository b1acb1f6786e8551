"use strict";
// The programs of the multi-language suites follow the package's lint rules.
module.exports = require("../../node/eslint.config.js");
