// go-plugin's handshake as Terraform configures it (internal/plugin/serve.go in Terraform): the
// stand-in checks it, and the tests that start the stand-in themselves set it.
"use strict";
module.exports = {
  MAGIC_COOKIE_KEY: "TF_PLUGIN_MAGIC_COOKIE",
  MAGIC_COOKIE_VALUE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
  CORE_PROTOCOL_VERSION: 1,
  PROTOCOL_VERSION: 5,
};
