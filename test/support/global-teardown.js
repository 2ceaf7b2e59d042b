// Removes the run's folder that global-setup.js made.
"use strict";
const fs = require("fs");

module.exports = async () => {
  const folder = process.env.STACKWRIGHT_TEST_RUN_FOLDER;
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
};
