"use strict";
// The examples follow the package's lint rules.
module.exports = require("../../node/eslint.config.js");
