'use strict';
// archiver's export is the function cdktf calls: `archiver('zip', options)`.
const { fromCdktf } = require('./cdktf-dependency.cjs');

module.exports = (...args) => fromCdktf('archiver')(...args);
