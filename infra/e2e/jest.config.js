module.exports = require('../../jest.preset.js')(__dirname, 'loop-e2e');
