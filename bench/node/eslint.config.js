"use strict";
// The benchmark follows the package's lint rules.
module.exports = require("../../node/eslint.config.js");
